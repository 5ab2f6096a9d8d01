package dev.lpl.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad plugin directories and jars stop startup with one line naming the directory or jar. */
class PluginDirectoryTest {

    /** Writes a jar holding the given entries (name, then content). */
    static Path jar(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                zip.putNextEntry(new ZipEntry(entries[i]));
                zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void anEmptyJarIsNamed(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jar"));
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir)))
                .isInstanceOf(LplException.class)
                .hasMessage("plugin jar " + empty + " is empty (0 bytes); copy the plugin's jar again, or remove it from "
                        + dir);
    }

    @Test
    void aCorruptOrTruncatedJarIsNamed(@TempDir Path dir) throws IOException {
        Path corrupt = dir.resolve("corrupt.jar");
        Files.writeString(corrupt, "this is not a zip file");
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("plugin jar " + corrupt + " is not a readable jar (");
        Path good = jar(dir.resolve("other.jar"), PluginJars.SERVICE_FILE, "com.example.Plugin\n");
        byte[] bytes = Files.readAllBytes(good);
        Files.delete(corrupt);
        Path truncated = Files.write(dir.resolve("truncated.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir)))
                .hasMessageStartingWith("plugin jar " + truncated + " is not a readable jar (");
    }

    @Test
    void aDirectoryWhoseJarsRegisterNoPluginIsRefused(@TempDir Path dir) throws IOException {
        jar(dir.resolve("library.jar"), "com/example/Util.class", "not really a class");
        jar(dir.resolve("commented.jar"), PluginJars.SERVICE_FILE, "# nothing here\n\n");
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir)))
                .isInstanceOf(LplException.class)
                .hasMessage("plugin directory " + dir + " registers no lpl plugin: none of its jars (commented.jar,"
                        + " library.jar) lists one in META-INF/services/dev.lpl.api.LplPlugin; add the plugin's jar"
                        + " (built with that service file), or drop " + dir + " from --plugins / LPL_PLUGINS");
    }

    @Test
    void aDirectoryWithoutJarsAddsNothingButAMissingOneIsRefused(@TempDir Path dir) {
        // the container image's LPL_PLUGINS=/opt/lpl/plugins is such an empty folder
        assertThat(LoadedPlugins.discover(List.of(dir)).plugins())
                .hasSameSizeAs(LoadedPlugins.discover(List.of()).plugins());
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir.resolve("absent"))))
                .hasMessage("plugin directory " + dir.resolve("absent") + " does not exist; create it or fix --plugins"
                        + " / LPL_PLUGINS");
    }

    @Test
    void aPluginClassThatCannotBeLoadedNamesItsJar(@TempDir Path dir) throws IOException {
        Path plugin = jar(dir.resolve("broken-plugin.jar"), PluginJars.SERVICE_FILE, "com.example.MissingPlugin # gone\n");
        jar(dir.resolve("dependency.jar"), "com/example/Util.txt", "a library next to the plugin is fine");
        assertThat(PluginJars.providers(plugin)).containsExactly("com.example.MissingPlugin");
        assertThat(PluginJars.providers(dir.resolve("dependency.jar"))).isEmpty();
        assertThatThrownBy(() -> LoadedPlugins.discover(List.of(dir)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("plugin jar " + plugin + " cannot be loaded: ")
                .hasMessageContaining("com.example.MissingPlugin")
                .hasMessageEndingWith("; rebuild the plugin against this lpl version, or remove its jar");
    }
}
