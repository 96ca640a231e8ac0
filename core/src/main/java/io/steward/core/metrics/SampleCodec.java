package io.steward.core.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compact binary form of one report's samples, stored as one raw row per report: a row per sample would multiply
 * the insert rate by ~30 and dominate ingest cost. Layout: version byte, count, then (UTF name, double) pairs.
 */
public final class SampleCodec {
    private static final byte VERSION = 1;

    private SampleCodec() {}

    public static byte[] encode(Map<String, Double> samples) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + samples.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(samples.size());
            for (Map.Entry<String, Double> sample : samples.entrySet()) {
                out.writeUTF(sample.getKey());
                out.writeDouble(sample.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Map<String, Double> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown sample encoding version " + version);
            }
            int count = in.readInt();
            Map<String, Double> samples = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                samples.put(in.readUTF(), in.readDouble());
            }
            return samples;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt sample encoding", e);
        }
    }

    /** Reads one series without building the whole map; {@code NaN} when the series is absent. */
    public static double find(byte[] encoded, String series) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown sample encoding version");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                double value = in.readDouble();
                if (name.equals(series)) {
                    return value;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt sample encoding", e);
        }
    }
}
