package dev.lpl.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both listeners fed by hand (no engine): a run of three epochs, then a resume from the checkpoint
 * of epoch 1 that trains epochs 2 and 3 again with other figures.
 */
class TrackingListenersTest {

    private static final List<String> CLASSES = List.of("cat", "dog, big", "bird");

    private static RunInfo info(Path dir, int startEpoch) {
        Map<String, Object> hparams = new LinkedHashMap<>();
        hparams.put("method.type", "lpl");
        hparams.put("optimizer.sgd.learning-rate", 0.1);
        hparams.put("data.augment.flip", true);
        return new RunInfo("r", dir, "lpl", "synthetic", CLASSES, new long[] {500, 50, 5}, 3, startEpoch, hparams);
    }

    /** An epoch's figures as the core gives them (keys of metrics.jsonl, per-class spread). */
    private static EpochResult epoch(int epoch, double base) {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("epoch", (double) (epoch + 1));
        s.put("epochs", 3.0);
        s.put("train_loss", 2.0 / (epoch + 1) + base);
        s.put("test_accuracy", 0.1 * (epoch + 1) + base);
        s.put("balanced_accuracy", 0.3 + base);
        s.put("few_shot_accuracy", Double.NaN);
        s.put("ece", 1.0 / 3 + base);
        for (int c = 0; c < 3; c++) {
            s.put("per_class_accuracy/" + c, 0.1 * c + base);
        }
        s.put("learning_rate", 1e-4);
        s.put("steps", 12.0);
        return new EpochResult(epoch, 3, 0, 0, 0, 0, 0, 0, new double[3], 0, 0).withScalars(s);
    }

    @Test
    void resumedRunKeepsEachStepOnceWithTheNewFigures(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("resolved.conf"), "lpl { method { type = lpl } }\n");
        List<Map<String, Object>> expected = new ArrayList<>();
        try (TensorBoardListener tb = new TensorBoardListener("tensorboard", true, true);
                CsvListener csv = new CsvListener("metrics.csv")) {
            tb.runStarted(info(dir, 0));
            csv.runStarted(info(dir, 0));
            for (int e = 0; e < 3; e++) {
                tb.epochFinished(epoch(e, 0));
                csv.epochFinished(epoch(e, 0));
            }
            // no runFinished: the run crashed after epoch 3 with its latest checkpoint at epoch 1
        }
        expected.add(expectation(epoch(0, 0)));
        try (TensorBoardListener tb = new TensorBoardListener("tensorboard", true, true);
                CsvListener csv = new CsvListener("metrics.csv")) {
            tb.runStarted(info(dir, 1));
            csv.runStarted(info(dir, 1));
            for (int e = 1; e < 3; e++) {
                tb.epochFinished(epoch(e, 0.01));
                csv.epochFinished(epoch(e, 0.01));
                expected.add(expectation(epoch(e, 0.01)));
            }
            tb.runFinished(epoch(2, 0.01));
        }
        Path expectFile = dir.resolve("expected.json");
        Files.writeString(expectFile, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected));
        String summary = PythonReader.check("--expect", expectFile.toString(), dir.resolve("tensorboard").toString());
        // 3 steps x (train_loss, test_accuracy, balanced, ece, 3 per-class, learning_rate, steps); NaN left out
        assertThat(summary).startsWith("OK files=2 scalars=27 steps=1,2,3 hparams=3 method.type=lpl ends=[(3, 1)]");
        try (Stream<Path> files = Files.list(dir.resolve("tensorboard"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2).allMatch(n -> n.matches("events\\.out\\.tfevents\\.\\d{10}\\..+"));
        }

        assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).containsExactly(
                "epoch,epochs,train_loss,test_accuracy,balanced_accuracy,few_shot_accuracy,ece,per_class_accuracy/cat,"
                        + "\"per_class_accuracy/dog, big\",per_class_accuracy/bird,learning_rate,steps",
                "1,3,2,0.1,0.3,,0.3333333333333333,0,0.1,0.2,1.0E-4,12",
                "2,3,1.01,0.21000000000000002,0.31,,0.3433333333333333,0.01,0.11,0.21000000000000002,1.0E-4,12",
                "3,3,0.6766666666666666,0.31000000000000005,0.31,,0.3433333333333333,0.01,0.11,0.21000000000000002,"
                        + "1.0E-4,12");
    }

    private static Map<String, Object> expectation(EpochResult r) {
        Map<String, Object> values = new LinkedHashMap<>();
        r.scalars().forEach((k, v) -> {
            if (!k.equals("epoch") && !k.equals("epochs") && !v.isNaN()) {
                values.put(k.startsWith("per_class_accuracy/")
                        ? "per_class_accuracy/" + CLASSES.get(Integer.parseInt(k.substring(19))) : k, v);
            }
        });
        return Map.of("step", r.epoch() + 1, "values", values);
    }
}
