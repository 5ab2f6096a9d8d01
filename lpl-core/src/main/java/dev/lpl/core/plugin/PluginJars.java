package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.LplPlugin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks one jar of a plugin directory before it joins the class path: it must be a readable jar
 * (zip) file, and this says which plugin classes it registers. Without the check an empty or
 * corrupt jar is silently skipped by the class loader, so the plugin the user dropped in simply
 * is not there.
 */
final class PluginJars {

    /** The service file that registers a plugin. */
    static final String SERVICE_FILE = "META-INF/services/" + LplPlugin.class.getName();

    private PluginJars() {}

    /**
     * Returns the plugin classes a jar lists in its {@link #SERVICE_FILE}.
     *
     * @param jar the jar
     * @return the class names, in file order; empty when the jar registers no plugin (a library)
     * @throws LplException naming the jar if it is empty, not a jar, or truncated
     */
    static List<String> providers(Path jar) {
        requireNonNull(jar, "jar is null");
        try {
            if (Files.isDirectory(jar)) {
                throw new LplException("plugin jar " + jar + " is a directory; plugin directories hold .jar files");
            }
            if (Files.size(jar) == 0) {
                throw new LplException("plugin jar " + jar + " is empty (0 bytes); copy the plugin's jar again, or"
                        + " remove it from " + jar.getParent());
            }
        } catch (IOException e) {
            throw new LplException("plugin jar " + jar + " cannot be read: " + e.getMessage(), e);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry service = zip.getEntry(SERVICE_FILE);
            List<String> providers = new ArrayList<>();
            if (service == null) {
                return providers;
            }
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(zip.getInputStream(service), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    int comment = line.indexOf('#');
                    String name = (comment < 0 ? line : line.substring(0, comment)).strip();
                    if (!name.isEmpty()) {
                        providers.add(name);
                    }
                }
            }
            return providers;
        } catch (IOException e) {
            throw new LplException("plugin jar " + jar + " is not a readable jar (" + e.getMessage() + "); copy the"
                    + " plugin's jar again, or remove it from " + jar.getParent(), e);
        }
    }
}
