package io.steward.node.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.pekko.util.ByteString;

/**
 * CSV text of export rows, written by Commons CSV (RFC 4180: fields with commas, quotes or line breaks quoted, CRLF
 * line ends) from cells formatted one way for every export: timestamps as ISO-8601 instants, numbers in plain
 * decimal notation, lists joined by spaces, absent values empty.
 */
final class ExportCells {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private ExportCells() {}

    /** The header row. */
    static ByteString header(List<String> columns) {
        return rows(List.of(columns));
    }

    /** Rows of already formatted cells, as one chunk of CSV text. */
    static ByteString rows(List<? extends List<String>> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 64);
        try (CSVPrinter printer = new CSVPrinter(text, FORMAT)) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV to memory", e);
        }
        return ByteString.fromString(text.toString());
    }

    /** One cell's text. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof Double number) {
            return number(number);
        }
        if (value instanceof Collection<?> list) {
            StringBuilder joined = new StringBuilder();
            for (Object item : list) {
                if (!joined.isEmpty()) {
                    joined.append(' ');
                }
                joined.append(text(item));
            }
            return joined.toString();
        }
        if (value instanceof CharSequence chars) {
            return inert(chars.toString());
        }
        return value.toString();
    }

    /**
     * Text a spreadsheet will not run: a cell that starts like a formula ({@code =}, {@code +}, {@code -}, {@code @},
     * a tab or a carriage return) gets a leading apostrophe (OWASP's advice for CSV injection). Host names, notes
     * and acknowledgement comments come from agents and users; the admin who opens the file must not run them.
     */
    static String inert(String text) {
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    /**
     * A number as spreadsheets and scripts read it: plain decimal, no exponent, no trailing zeros ({@code 42},
     * {@code 0.125}, {@code 12000000000}); {@code NaN} and infinities by name.
     */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
