package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;
import static dev.switchboard.server.cli.TableRenderer.Column.right;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableRendererTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        String text = TableRenderer.of(left("DPID"), right("PORTS"), left("ADDRESS"))
                .row("00:00:00:00:00:00:00:01", 3, "10.0.0.1:51234")
                .row("2", 12, null)
                .render();

        assertThat(text).isEqualTo(""
                + "DPID                     PORTS  ADDRESS\n"
                + "00:00:00:00:00:00:00:01      3  10.0.0.1:51234\n"
                + "2                           12  -\n");
    }

    @Test
    void linesCarryNoTrailingBlanks() {
        String text = TableRenderer.of(left("NAME"), left("NOTE")).row("a-long-name", "").row("x", "y").render();

        assertThat(text.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        assertThat(text).isEqualTo("NAME         NOTE\na-long-name\nx            y\n");
    }

    @Test
    void controlCharactersFromThePeerAreShownNotObeyed() {
        String text = TableRenderer.of(left("NAME"), left("X")).row("eth\u001b[2J0\n\u2028", "ok").render();

        assertThat(text).doesNotContain("\u001b").contains("eth\\x1b[2J0\\x0a\\u2028  ok");
        assertThat(text.lines()).hasSize(2);
    }

    @Test
    void aRowMustFillEveryColumn() {
        TableRenderer table = TableRenderer.of(left("A"), left("B"));

        assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells for 2 columns");
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertThat(TableRenderer.of(left("A"), right("B")).render()).isEqualTo("A  B\n");
    }
}
