package io.steward.node.problem;

import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Carries a {@link Problem} across the cluster (an entity on one node answering an ask from another) as its code
 * and message; Pekko's default for exceptions would need Java serialization, which is off. Bound in
 * application.conf.
 */
public final class ProblemSerializer extends SerializerWithStringManifest {
    /** Steward's serializer ids start at 7300; Pekko reserves 0..40. */
    static final int IDENTIFIER = 7301;
    private static final String MANIFEST = "P";

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object object) {
        return MANIFEST;
    }

    @Override
    public byte[] toBinary(Object object) {
        if (!(object instanceof Problem problem)) {
            throw new IllegalArgumentException("cannot serialize " + object.getClass().getName());
        }
        return (problem.code().name() + "\n" + problem.getMessage()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!MANIFEST.equals(manifest)) {
            throw new NotSerializableException("unknown manifest [" + manifest + "] for a problem");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            throw new NotSerializableException("a serialized problem has no code");
        }
        Problem.Code code;
        try {
            code = Problem.Code.valueOf(text.substring(0, newline));
        } catch (IllegalArgumentException e) {
            // A newer node's code this node does not know: keep the message, call it internal.
            code = Problem.Code.INTERNAL;
        }
        return new Problem(code, text.substring(newline + 1));
    }
}
