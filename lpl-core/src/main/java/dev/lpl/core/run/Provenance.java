package dev.lpl.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Where a result came from: lpl's version, the git commit of the working directory, the host. */
public final class Provenance {

    private Provenance() {}

    /**
     * Returns lpl's version, from the build.
     *
     * @return the version, or {@code unknown}
     */
    public static String lplVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/lpl/core/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Returns the commit checked out in the git repository containing a directory, read from
     * {@code .git} without running git.
     *
     * @param start a directory inside the repository
     * @return the 40-hex commit, if the directory is in a git work tree with a commit
     */
    public static Optional<String> gitCommit(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (!Files.isDirectory(git)) {
                continue;
            }
            try {
                String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
                if (!head.startsWith("ref: ")) {
                    return Optional.of(head);
                }
                String ref = head.substring(5);
                Path loose = git.resolve(ref);
                if (Files.isRegularFile(loose)) {
                    return Optional.of(Files.readString(loose, StandardCharsets.UTF_8).trim());
                }
                Path packed = git.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                        if (line.endsWith(" " + ref)) {
                            return Optional.of(line.substring(0, line.indexOf(' ')));
                        }
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the host name.
     *
     * @return the host name, or {@code unknown}
     */
    public static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
