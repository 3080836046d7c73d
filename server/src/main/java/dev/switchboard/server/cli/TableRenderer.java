package dev.switchboard.server.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header of column titles, then one line per row, each column as wide as
 * its widest cell, two blanks between columns; numbers may be right-aligned. Cells are made
 * {@linkplain Text#printable printable}, so nothing the controller relays can move the cursor.
 * Lines carry no trailing blanks.
 */
final class TableRenderer {
    private static final String GAP = "  ";

    enum Align { LEFT, RIGHT }

    record Column(String title, Align align) {
        static Column left(String title) {
            return new Column(title, Align.LEFT);
        }

        static Column right(String title) {
            return new Column(title, Align.RIGHT);
        }
    }

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();

    private TableRenderer(List<Column> columns) {
        this.columns = columns;
    }

    static TableRenderer of(Column... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs a column");
        }
        return new TableRenderer(List.of(columns));
    }

    /** Adds a row; null cells print as {@code -}. */
    TableRenderer row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + columns.size() + " columns: "
                    + Arrays.toString(cells));
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = Text.printable(cells[i] == null ? null : cells[i].toString());
        }
        rows.add(row);
        return this;
    }

    int rows() {
        return rows.size();
    }

    /** The header and the rows, each line ending in a newline. */
    String render() {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).title().length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, columns.stream().map(Column::title).toArray(String[]::new), widths);
        for (String[] row : rows) {
            line(text, row, widths);
        }
        return text.toString();
    }

    private void line(StringBuilder text, String[] cells, int[] widths) {
        int start = text.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                text.append(GAP);
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            if (columns.get(i).align() == Align.RIGHT) {
                text.append(pad).append(cells[i]);
            } else {
                text.append(cells[i]).append(pad);
            }
        }
        int end = text.length();
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        text.append('\n');
    }
}
