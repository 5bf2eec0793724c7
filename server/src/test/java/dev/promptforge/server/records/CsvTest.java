package dev.promptforge.server.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static String line(String... cells) throws IOException {
        StringWriter out = new StringWriter();
        Csv csv = new Csv(out);
        for (String cell : cells) {
            csv.text(cell);
        }
        csv.end();
        return out.toString();
    }

    @Test
    void plain_cells_are_written_as_they_are_with_a_crlf_line_end() throws IOException {
        assertThat(line("a", "b c", "")).isEqualTo("a,b c,\r\n");
    }

    @Test
    void a_cell_with_a_comma_quote_or_line_break_is_quoted_with_its_quotes_doubled() throws IOException {
        assertThat(line("x,y", "say \"hi\"", "two\nlines", "cr\rhere"))
                .isEqualTo("\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n");
    }

    @Test
    void a_cell_a_spreadsheet_would_take_for_a_formula_gets_a_leading_apostrophe() throws IOException {
        assertThat(line("=SUM(A1:A2)", "+1", "-2", "@cmd", "\tx", "a=b"))
                .isEqualTo("'=SUM(A1:A2),'+1,'-2,'@cmd,'\tx,a=b\r\n");
        assertThat(line("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    }

    @Test
    void numbers_and_nulls() throws IOException {
        StringWriter out = new StringWriter();
        new Csv(out).number(-1.5).number(null).text(null).end();
        assertThat(out.toString()).isEqualTo("-1.5,,\r\n");
    }
}
