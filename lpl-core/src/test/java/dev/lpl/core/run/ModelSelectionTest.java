package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    private static Map<String, Object> line(int epoch, Double validation, double test) {
        Map<String, Object> m = new HashMap<>();
        m.put("epoch", epoch);
        m.put("val_balanced_accuracy", validation);
        m.put("balanced_accuracy", test);
        return m;
    }

    @Test
    void bestIsTheFirstEpochWithTheHighestValidationFigureNotTheTestFigure() {
        List<Map<String, Object>> history = List.of(
                line(1, 0.50, 0.40), line(2, 0.70, 0.55), line(3, 0.60, 0.80), line(4, 0.70, 0.60));
        assertThat(ModelSelection.firstArgmax(history, ModelSelection.VALIDATION_KEY).get("epoch")).isEqualTo(2);
        assertThat(ModelSelection.firstArgmax(history, ModelSelection.TEST_KEY).get("epoch")).isEqualTo(3);
        assertThat(ModelSelection.isNewBest(history.subList(0, 1), ModelSelection.VALIDATION_KEY, 0.7)).isTrue();
        assertThat(ModelSelection.isNewBest(history.subList(0, 3), ModelSelection.VALIDATION_KEY, 0.7))
                .as("a tie keeps the earlier epoch").isFalse();
        assertThat(ModelSelection.isNewBest(List.of(), ModelSelection.VALIDATION_KEY, 0.1)).isTrue();
        assertThat(ModelSelection.isNewBest(List.of(), ModelSelection.VALIDATION_KEY, Double.NaN)).isFalse();
    }

    @Test
    void aMissingValueNeverWins() {
        List<Map<String, Object>> history = List.of(line(1, null, 0.4), line(2, 0.1, 0.3), line(3, null, 0.9));
        assertThat(ModelSelection.firstArgmax(history, ModelSelection.VALIDATION_KEY).get("epoch")).isEqualTo(2);
    }
}
