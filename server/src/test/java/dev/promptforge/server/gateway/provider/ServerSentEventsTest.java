package dev.promptforge.server.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.gateway.provider.ServerSentEvents.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerSentEventsTest {

    /** Feeds the bytes in pieces of {@code size} bytes, then finishes. */
    static List<Event> parse(String stream, int size) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        ServerSentEvents parser = new ServerSentEvents();
        List<Event> events = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            events.addAll(
                    parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)))));
        }
        events.addAll(parser.finish());
        return events;
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 4, 1000})
    void joins_multi_line_data_with_lf_whatever_the_line_endings_and_piece_sizes(int size) {
        // given
        String stream =
                "event: a\r\ndata: one\r\ndata:two\r\n\r\n" + "data: three\rdata: four\r\r" + "data: five\ndata\n\n";

        // when
        List<Event> events = parse(stream, size);

        // then
        assertThat(events)
                .containsExactly(
                        new Event("a", "one\ntwo"),
                        new Event("message", "three\nfour"),
                        new Event("message", "five\n"));
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5})
    void decodes_utf8_characters_split_between_pieces(int size) {
        // when
        List<Event> events = parse("data: Grüße 🌍 ação 日本\n\n", size);

        // then
        assertThat(events).containsExactly(new Event("message", "Grüße 🌍 ação 日本"));
    }

    @Test
    void ignores_comments_ids_retries_and_blank_lines_without_data() {
        // when
        List<Event> events = parse(": keep-alive\n\nid: 7\nretry: 100\n\nevent: ping\n\ndata: x\n\n", 3);

        // then: the type of an event without data does not leak into the next one
        assertThat(events).containsExactly(new Event("message", "x"));
    }

    @Test
    void keeps_only_the_one_space_after_the_colon_and_strips_a_leading_bom() {
        // when
        List<Event> events = parse("\uFEFFdata:  two spaces\n\ndata:none\n\n", 2);

        // then
        assertThat(events).containsExactly(new Event("message", " two spaces"), new Event("message", "none"));
    }

    @Test
    void returns_the_pending_event_at_the_end_of_the_body_without_its_blank_line() {
        // when
        List<Event> events = parse("data: [DONE]", 4);

        // then
        assertThat(events).containsExactly(new Event("message", "[DONE]"));
    }

    @Test
    void refuses_an_event_larger_than_the_limit() {
        // given
        ServerSentEvents parser = new ServerSentEvents();
        byte[] huge = new byte[ServerSentEvents.MAX_EVENT_BYTES + 1];
        Arrays.fill(huge, (byte) 'x');

        // then
        assertThatThrownBy(() -> parser.feed(ByteBuffer.wrap(huge)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("larger than");
    }
}
