package dev.lpl.tracking;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.Settings;
import dev.lpl.api.training.RunListener;
import dev.lpl.api.training.RunListenerFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Experiment tracking as run listeners: {@code csv} ({@code metrics.csv}, on by default) and
 * {@code tensorboard} (event files for {@code tensorboard --logdir runs/}, off by default). Enable
 * or disable each with {@code training.listener.<name>.enabled}.
 */
public final class TrackingPlugin implements LplPlugin {

    @Override
    public List<RunListenerFactory> runListeners() {
        return List.of(new CsvFactory(), new TensorBoardFactory());
    }

    private static final class CsvFactory implements RunListenerFactory {
        @Override
        public String name() {
            return "csv";
        }

        @Override
        public String description() {
            return "metrics.csv in the run directory: one row per epoch, the figures of metrics.jsonl";
        }

        @Override
        public RunListener create(Settings settings) {
            return new CsvListener(fileName(settings, "file"));
        }
    }

    private static final class TensorBoardFactory implements RunListenerFactory {
        @Override
        public String name() {
            return "tensorboard";
        }

        @Override
        public String description() {
            return "TensorBoard event files in RUN_DIR/tensorboard: every figure per epoch, per-class accuracy,"
                    + " hyperparameters";
        }

        @Override
        public RunListener create(Settings settings) {
            return new TensorBoardListener(fileName(settings, "directory"), settings.getBoolean("per-class"),
                    settings.getBoolean("hparams"));
        }
    }

    /** A setting naming a file or directory inside the run directory: one plain name. */
    private static String fileName(Settings settings, String key) {
        String name = settings.getString(key);
        Path path = Path.of(name);
        if (name.isBlank() || path.isAbsolute() || path.getNameCount() != 1 || name.equals(".") || name.equals("..")
                || name.contains("/") || name.contains("\\")) {
            throw settings.invalid(key, "'" + name + "' must be a plain name inside the run directory (e.g. "
                    + (key.equals("file") ? "metrics.csv" : "tensorboard") + ")");
        }
        return name;
    }
}
