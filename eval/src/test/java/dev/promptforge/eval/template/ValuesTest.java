package dev.promptforge.eval.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ValuesTest {

    private static final JsonMapper JACKSON = JsonMapper.builder().build();

    @Test
    void writes_maps_of_variables_as_jackson_does() {
        List<Map<String, Object>> maps = new ArrayList<>();
        maps.add(Map.of());
        maps.add(map("id", "0", "city", "Lisbon", "question", "where is my refund?"));
        maps.add(map("n", 42L, "i", 7, "yes", true, "no", false, "s", "a/b {x} [y] 'q' <t> & ~"));
        maps.add(map("quote", "say \"hi\""));
        maps.add(map("backslash", "C:\\temp"));
        maps.add(map("newline", "a\nb", "tab", "a\tb"));
        maps.add(map("accent", "Zürich", "emoji", "ok \uD83D\uDC4D"));
        maps.add(map("double", 1.5, "big", 1e21, "null", null));
        maps.add(map("list", List.of("a", 1L), "map", Map.of("k", "v")));
        maps.add(map("k\"ey", "v"));
        for (Map<String, Object> map : maps) {
            assertThat(Values.toJson(map)).as("%s", map).isEqualTo(JACKSON.writeValueAsString(map));
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> list = Arrays.asList(keysAndValues);
        for (int i = 0; i < list.size(); i += 2) {
            map.put((String) list.get(i), list.get(i + 1));
        }
        return map;
    }
}
