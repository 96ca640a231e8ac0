package io.steward.core.metrics;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Column-wise, bit-packed form of many reports of one server (a "chunk"), after Gorilla (Pelkonen et al., VLDB 2015)
 * and Prometheus' XOR chunks: the series names once per chunk, then the report times, the report sequences, and each
 * series' values as a column of its own. Raw rows cost ~45 bytes per sample (a name and a double each); a chunk of the
 * simulated fleet's reports about 2.
 *
 * <p>Integer columns (times, sequences, values that are decimals) store the values, their deltas, or their deltas of
 * deltas, whichever is smallest for that column: a steady report interval or a counting uptime costs one bit per report.
 * Each number is zigzag-coded and written in the width of the previous one when it fits (one flag bit), else with a
 * new width (a flag and 7 bits): neighbouring samples of a series need about as many bits as each other.
 *
 * <p>Values: most samples are decimals with few places (agents round percentages to two), which XOR-coding stores
 * poorly (the mantissa of 12.34 is all noise). A series whose every value in the chunk equals {@code m / 10^s} for
 * an integer {@code m} and {@code s <= 6} (checked bit for bit, so decoding gives back the exact double) is stored as
 * the integer column of {@code m}; any other series (NaN, infinities, -0.0, arbitrary doubles) as Gorilla XOR.
 * Series that a report does not carry (appearing, disappearing) have a presence bit per report.
 *
 * <p>Layout (version 1): version byte; report count and series count (varints); the series names (modified UTF-8,
 * deflated: names repeat most of their text); then sections, each a varint byte length and its bits: times,
 * sequences, one per series. The lengths let a reader of one series skip the others without decoding them.
 */
public final class ChunkCodec {
    static final byte VERSION = 1;
    private static final int MAX_SCALE = 6;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final int XOR_MODE = 7;
    /** Above this magnitude a scaled decimal would lose integer precision in a double. */
    private static final double MAX_EXACT = 0x1p53;
    /** A number narrower than the current width by more than this gets a new width (so a big outlier does not stick). */
    private static final int WIDTH_SLACK = 6;

    private ChunkCodec() {}

    /** Encodes the reports in the given order (readers get them back in that order). */
    public static byte[] encode(List<ChunkReport> reports) {
        requireNonNull(reports, "reports is null");
        int count = reports.size();
        Map<String, Integer> dictionary = new LinkedHashMap<>();
        long[] times = new long[count];
        long[] sequences = new long[count];
        for (int i = 0; i < count; i++) {
            ChunkReport report = reports.get(i);
            times[i] = report.epochMillis();
            sequences[i] = report.sequence();
            for (String name : report.samples().keySet()) {
                dictionary.putIfAbsent(name, dictionary.size());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + count * dictionary.size() * 3);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeVarint(out, count);
            writeVarint(out, dictionary.size());
            byte[] names = deflate(names(dictionary.keySet()));
            writeVarint(out, names.length);
            out.write(names);
            writeSection(out, integerSection(times, count));
            writeSection(out, integerSection(sequences, count));
            double[] values = new double[count];
            boolean[] present = new boolean[count];
            for (String name : dictionary.keySet()) {
                int presentCount = 0;
                for (int i = 0; i < count; i++) {
                    Double value = reports.get(i).samples().get(name);
                    present[i] = value != null;
                    if (value != null) {
                        values[presentCount++] = value;
                    }
                }
                writeSection(out, seriesSection(present, count, values, presentCount));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Every report of the chunk, with its samples in the chunk's series order. */
    public static List<ChunkReport> decode(byte[] chunk) {
        Header header = Header.read(chunk);
        List<Map<String, Double>> samples = new ArrayList<>(header.reportCount);
        for (int i = 0; i < header.reportCount; i++) {
            samples.add(new LinkedHashMap<>());
        }
        try {
            long[] times = readIntegerSection(chunk, header, 0);
            long[] sequences = readIntegerSection(chunk, header, 1);
            for (int s = 0; s < header.names.size(); s++) {
                String name = header.names.get(s);
                SeriesValues series = readSeries(chunk, header, s);
                for (int v = 0; v < series.values.length; v++) {
                    samples.get(series.reportIndexes[v]).put(name, series.values[v]);
                }
            }
            List<ChunkReport> reports = new ArrayList<>(header.reportCount);
            for (int i = 0; i < header.reportCount; i++) {
                reports.add(new ChunkReport(times[i], sequences[i], samples.get(i)));
            }
            return reports;
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** The reports' collection times, in the chunk's order. */
    public static long[] timestamps(byte[] chunk) {
        Header header = Header.read(chunk);
        try {
            return readIntegerSection(chunk, header, 0);
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** The reports' sequences, in the chunk's order. */
    public static long[] sequences(byte[] chunk) {
        Header header = Header.read(chunk);
        try {
            return readIntegerSection(chunk, header, 1);
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** The samples of one series, in the chunk's report order, decoding only that series; empty if absent. */
    public static List<Point> series(byte[] chunk, String series) {
        requireNonNull(series, "series is null");
        Header header = Header.read(chunk);
        int index = header.names.indexOf(series);
        if (index < 0) {
            return List.of();
        }
        try {
            long[] times = readIntegerSection(chunk, header, 0);
            SeriesValues values = readSeries(chunk, header, index);
            List<Point> points = new ArrayList<>(values.values.length);
            for (int v = 0; v < values.values.length; v++) {
                points.add(Point.of(times[values.reportIndexes[v]], values.values[v]));
            }
            return points;
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    private static IllegalArgumentException corrupt(RuntimeException e) {
        return e instanceof IllegalArgumentException argument ? argument
                : new IllegalArgumentException("corrupt chunk", e);
    }

    // ---- sections

    private static byte[] integerSection(long[] values, int count) {
        BitWriter out = new BitWriter();
        writeIntegers(out, values, count);
        return out.toByteArray();
    }

    private static long[] readIntegerSection(byte[] chunk, Header header, int section) {
        BitReader in = header.section(chunk, section);
        return readIntegers(in, header.reportCount);
    }

    private static byte[] seriesSection(boolean[] present, int reportCount, double[] values, int count) {
        BitWriter out = new BitWriter();
        boolean all = count == reportCount;
        out.writeBit(all);
        if (!all) {
            for (int i = 0; i < reportCount; i++) {
                out.writeBit(present[i]);
            }
        }
        int scale = decimalScale(values, count);
        out.write(scale, 3);
        if (scale == XOR_MODE) {
            writeXor(out, values, count);
        } else {
            long[] scaled = new long[count];
            for (int i = 0; i < count; i++) {
                scaled[i] = Math.round(values[i] * POWERS_OF_TEN[scale]);
            }
            writeIntegers(out, scaled, count);
        }
        return out.toByteArray();
    }

    /** One series' values and, for each, the index of the report that carries it. */
    private record SeriesValues(int[] reportIndexes, double[] values) {}

    private static SeriesValues readSeries(byte[] chunk, Header header, int series) {
        BitReader in = header.section(chunk, 2 + series);
        int reportCount = header.reportCount;
        int[] indexes;
        if (in.readBit()) {
            indexes = new int[reportCount];
            for (int i = 0; i < reportCount; i++) {
                indexes[i] = i;
            }
        } else {
            int[] found = new int[reportCount];
            int count = 0;
            for (int i = 0; i < reportCount; i++) {
                if (in.readBit()) {
                    found[count++] = i;
                }
            }
            indexes = java.util.Arrays.copyOf(found, count);
        }
        int scale = (int) in.read(3);
        double[] values = new double[indexes.length];
        if (scale == XOR_MODE) {
            readXor(in, values);
        } else if (scale <= MAX_SCALE) {
            long[] scaled = readIntegers(in, indexes.length);
            double power = POWERS_OF_TEN[scale];
            for (int i = 0; i < values.length; i++) {
                values[i] = scaled[i] / power;
            }
        } else {
            throw new IllegalArgumentException("corrupt chunk: unknown value mode " + scale);
        }
        return new SeriesValues(indexes, values);
    }

    /** The smallest number of decimal places that holds every value exactly, or {@link #XOR_MODE}. */
    static int decimalScale(double[] values, int count) {
        for (int scale = 0; scale <= MAX_SCALE; scale++) {
            if (allDecimal(values, count, scale)) {
                return scale;
            }
        }
        return XOR_MODE;
    }

    private static boolean allDecimal(double[] values, int count, int scale) {
        double power = POWERS_OF_TEN[scale];
        for (int i = 0; i < count; i++) {
            double value = values[i];
            if (!(Math.abs(value) * power < MAX_EXACT)) { // also false for NaN
                return false;
            }
            if (Double.doubleToRawLongBits(Math.round(value * power) / power) != Double.doubleToRawLongBits(value)) {
                return false;
            }
        }
        return true;
    }

    // ---- integer columns: order (2 bits), then each number in the width coding

    private static void writeIntegers(BitWriter out, long[] values, int count) {
        long[] best = null;
        int bestOrder = 0;
        long bestCost = Long.MAX_VALUE;
        long[] differences = java.util.Arrays.copyOf(values, count);
        for (int order = 0; order <= 2; order++) {
            if (order > 0) {
                for (int i = count - 1; i >= order; i--) {
                    differences[i] -= differences[i - 1];
                }
            }
            long cost = widthCost(differences);
            if (cost < bestCost) {
                bestCost = cost;
                bestOrder = order;
                best = differences.clone();
            }
        }
        out.write(bestOrder, 2);
        int width = 0;
        for (long difference : best) {
            width = writeNumber(out, difference, width);
        }
    }

    private static long[] readIntegers(BitReader in, int count) {
        int order = (int) in.read(2);
        if (order > 2) {
            throw new IllegalArgumentException("corrupt chunk: unknown integer order " + order);
        }
        long[] values = new long[count];
        int[] width = {0};
        for (int i = 0; i < count; i++) {
            values[i] = readNumber(in, width);
        }
        for (int pass = order; pass >= 1; pass--) {
            for (int i = pass; i < count; i++) {
                values[i] += values[i - 1];
            }
        }
        return values;
    }

    private static long widthCost(long[] numbers) {
        long cost = 0;
        int width = 0;
        for (long number : numbers) {
            int bits = bitLength(zigzag(number));
            if (bits <= width && width - bits <= WIDTH_SLACK) {
                cost += 1 + width;
            } else {
                cost += 8 + bits;
                width = bits;
            }
        }
        return cost;
    }

    /** Writes one number; returns the width now in force. */
    private static int writeNumber(BitWriter out, long number, int width) {
        long zigzag = zigzag(number);
        int bits = bitLength(zigzag);
        if (bits <= width && width - bits <= WIDTH_SLACK) {
            out.writeBit(false);
            out.write(zigzag, width);
            return width;
        }
        out.writeBit(true);
        out.write(bits, 7);
        out.write(zigzag, bits);
        return bits;
    }

    private static long readNumber(BitReader in, int[] width) {
        if (in.readBit()) {
            int bits = (int) in.read(7);
            if (bits > 64) {
                throw new IllegalArgumentException("corrupt chunk: width " + bits);
            }
            width[0] = bits;
        }
        long zigzag = in.read(width[0]);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int bitLength(long value) {
        return 64 - Long.numberOfLeadingZeros(value);
    }

    // ---- Gorilla XOR values

    private static void writeXor(BitWriter out, double[] values, int count) {
        if (count == 0) {
            return;
        }
        long previous = Double.doubleToRawLongBits(values[0]);
        out.write(previous, 64);
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < count; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            long xor = bits ^ previous;
            previous = bits;
            if (xor == 0) {
                out.writeBit(false);
                continue;
            }
            out.writeBit(true);
            int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
            int trail = Long.numberOfTrailingZeros(xor);
            if (leading >= 0 && lead >= leading && trail >= trailing) {
                out.writeBit(false);
                out.write(xor >>> trailing, 64 - leading - trailing);
            } else {
                int significant = 64 - lead - trail;
                out.writeBit(true);
                out.write(lead, 5);
                out.write(significant - 1, 6);
                out.write(xor >>> trail, significant);
                leading = lead;
                trailing = trail;
            }
        }
    }

    private static void readXor(BitReader in, double[] values) {
        if (values.length == 0) {
            return;
        }
        long previous = in.read(64);
        values[0] = Double.longBitsToDouble(previous);
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < values.length; i++) {
            if (in.readBit()) {
                if (in.readBit()) {
                    leading = (int) in.read(5);
                    int significant = (int) in.read(6) + 1;
                    trailing = 64 - leading - significant;
                    if (trailing < 0) {
                        throw new IllegalArgumentException("corrupt chunk: XOR window");
                    }
                } else if (leading < 0) {
                    throw new IllegalArgumentException("corrupt chunk: XOR window reused before one was set");
                }
                previous ^= in.read(64 - leading - trailing) << trailing;
            }
            values[i] = Double.longBitsToDouble(previous);
        }
    }

    // ---- header

    private static byte[] names(Iterable<String> names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String name : names) {
                out.writeUTF(name);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void writeSection(DataOutputStream out, byte[] section) throws IOException {
        writeVarint(out, section.length);
        out.write(section);
    }

    private static void writeVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /** The parsed header: counts, series names, and where each section starts and how long it is. */
    private static final class Header {
        final int reportCount;
        final List<String> names;
        final int[] sectionOffsets;
        final int[] sectionLengths;

        private Header(int reportCount, List<String> names, int[] sectionOffsets, int[] sectionLengths) {
            this.reportCount = reportCount;
            this.names = names;
            this.sectionOffsets = sectionOffsets;
            this.sectionLengths = sectionLengths;
        }

        BitReader section(byte[] chunk, int index) {
            return new BitReader(chunk, sectionOffsets[index], sectionLengths[index]);
        }

        static Header read(byte[] chunk) {
            requireNonNull(chunk, "chunk is null");
            try {
                int[] position = {0};
                if (chunk.length == 0 || chunk[position[0]++] != VERSION) {
                    throw new IllegalArgumentException("unknown chunk encoding version");
                }
                int reportCount = readVarint(chunk, position);
                int seriesCount = readVarint(chunk, position);
                int namesLength = readVarint(chunk, position);
                List<String> names = readNames(chunk, position[0], namesLength, seriesCount);
                position[0] += namesLength;
                int sections = 2 + seriesCount;
                int[] offsets = new int[sections];
                int[] lengths = new int[sections];
                for (int i = 0; i < sections; i++) {
                    lengths[i] = readVarint(chunk, position);
                    offsets[i] = position[0];
                    position[0] += lengths[i];
                    if (lengths[i] < 0 || position[0] > chunk.length) {
                        throw new IllegalArgumentException("corrupt chunk: a section runs past the end");
                    }
                }
                return new Header(reportCount, names, offsets, lengths);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException | IOException | DataFormatException e) {
                throw new IllegalArgumentException("corrupt chunk", e);
            }
        }

        private static List<String> readNames(byte[] chunk, int offset, int length, int count)
                throws IOException, DataFormatException {
            Inflater inflater = new Inflater();
            ByteArrayOutputStream inflated = new ByteArrayOutputStream(length * 4);
            try {
                inflater.setInput(chunk, offset, length);
                byte[] buffer = new byte[1024];
                while (!inflater.finished()) {
                    int read = inflater.inflate(buffer);
                    if (read == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IllegalArgumentException("corrupt chunk: series names cut short");
                    }
                    inflated.write(buffer, 0, read);
                }
            } finally {
                inflater.end();
            }
            List<String> names = new ArrayList<>(count);
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(inflated.toByteArray()))) {
                for (int i = 0; i < count; i++) {
                    names.add(in.readUTF());
                }
            }
            return names;
        }

        private static int readVarint(byte[] chunk, int[] position) {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte next = chunk[position[0]++];
                value |= (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("corrupt chunk: varint too long");
        }
    }
}
