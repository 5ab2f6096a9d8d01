package dev.lpl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.UserPaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TypesafeSettingsTest {

    @Test
    void everyDoubleIsFiniteWhenRead() {
        Settings settings = TypesafeSettings.parse("a { big = 1e400, small = -1e400, nan = NaN, inf = Infinity,"
                + " ok = 1e300, list = [1, 1e999] }").getSettings("a");
        assertThat(settings.getDouble("ok")).isEqualTo(1e300);
        assertThatThrownBy(() -> settings.getDouble("big"))
                .isInstanceOf(LplException.class)
                .hasMessage("invalid configuration value a.big: Infinity is not a finite number (NaN, Infinity and"
                        + " literals beyond +-1.8e308, such as 1e400, are refused); write a finite value");
        assertThatThrownBy(() -> settings.getDouble("small")).hasMessageContaining("a.small");
        assertThatThrownBy(() -> settings.getDouble("nan")).hasMessageContaining("a.nan");
        assertThatThrownBy(() -> settings.getDouble("inf")).hasMessageContaining("a.inf");
        assertThatThrownBy(() -> settings.getDouble("big", 0, Double.POSITIVE_INFINITY)).hasMessageContaining("a.big");
        assertThatThrownBy(() -> settings.getDoubleList("list")).hasMessageContaining("a.list");
    }

    @Test
    void pathsExpandTheHomeDirectory() {
        Settings settings = TypesafeSettings.parse("data { path = \"~/pets\", plain = runs/x, other = \"~bob/x\" }")
                .getSettings("data");
        assertThat(settings.getPath("path")).isEqualTo(Path.of(UserPaths.home(), "pets"));
        assertThat(settings.getPath("plain")).isEqualTo(Path.of("runs/x"));
        assertThatThrownBy(() -> settings.getPath("other"))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("invalid configuration value data.other: path ~bob/x starts with ~bob");
    }
}
