package dev.lpl.runner;

import dev.lpl.api.LplException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --progress MODE} option of the commands that show progress while they work, as a
 * picocli mixin: {@code lpl train} (an epoch's batches, {@link ConsoleProgress}) and {@code lpl
 * data fetch} (a download, {@link DownloadBar}). The modes mean the same in both: {@code bar} a
 * progress bar with rate and ETA, {@code lines} plain lines (one per epoch of training, one every
 * 5 s of a download), {@code none} nothing; by default a bar on a terminal, else lines. {@link
 * #mode} is the one place a mode is read.
 */
final class ProgressOption {

    /** How progress is shown. */
    enum Mode {
        /** A progress bar with rate and ETA. */
        BAR,
        /** Plain lines, now and then. */
        LINES,
        /** Nothing. */
        NONE
    }

    @Option(names = "--progress", paramLabel = "MODE",
            description = "bar (a progress bar with rate and ETA), lines (one line per epoch of training, one every"
                    + " 5 s of a download) or none; default: bar on a terminal, else lines")
    String value;

    /**
     * Returns the mode of {@code --progress}, read in any case.
     *
     * @return the mode given, or by default a bar on a terminal, else lines
     * @throws LplException when the mode given is none of {@code bar}, {@code lines}, {@code none}
     */
    Mode mode() {
        if (value == null) {
            return System.console() != null ? Mode.BAR : Mode.LINES;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "bar" -> Mode.BAR;
            case "lines" -> Mode.LINES;
            case "none" -> Mode.NONE;
            default -> throw new LplException("invalid --progress '" + value + "'; use one of: bar, lines, none");
        };
    }
}
