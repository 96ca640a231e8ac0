package io.steward.node.install;

import io.steward.node.problem.Problem;
import org.jspecify.annotations.Nullable;

/**
 * How to log in, for one connection: a password or a private key (OpenSSH or PEM text, with its passphrase). Never
 * stored, never logged, never sent back; {@link #toString()} says only which kind it is.
 */
public sealed interface SshCredential {
    /** The most a pasted private key may be (an RSA 16384-bit key in OpenSSH format is ~12 KiB). */
    int MAX_KEY_CHARACTERS = 16 * 1024;
    int MAX_PASSWORD_CHARACTERS = 1024;

    record Password(String password) implements SshCredential {
        @Override
        public String toString() {
            return "password";
        }
    }

    record PrivateKey(String key, @Nullable String passphrase) implements SshCredential {
        @Override
        public String toString() {
            return "private key";
        }
    }

    /** The one credential a request gives: exactly one of a password and a private key. */
    static SshCredential of(@Nullable String password, @Nullable String privateKey, @Nullable String passphrase) {
        boolean hasPassword = password != null && !password.isEmpty();
        boolean hasKey = privateKey != null && !privateKey.isBlank();
        if (hasPassword == hasKey) {
            throw Problem.invalid("give either password or privateKey (exactly one)");
        }
        if (hasPassword) {
            if (password.length() > MAX_PASSWORD_CHARACTERS) {
                throw Problem.invalid("password is longer than " + MAX_PASSWORD_CHARACTERS + " characters");
            }
            return new Password(password);
        }
        if (privateKey.length() > MAX_KEY_CHARACTERS) {
            throw Problem.invalid("privateKey is longer than " + MAX_KEY_CHARACTERS + " characters");
        }
        if (!privateKey.strip().startsWith("-----BEGIN ")) {
            throw Problem.invalid("privateKey must be the key file's text, starting with -----BEGIN");
        }
        return new PrivateKey(privateKey.strip() + "\n", passphrase == null || passphrase.isEmpty() ? null : passphrase);
    }

    /** What must never show in a log line: the password (sudo reads it), or a key's passphrase. */
    default @Nullable String secret() {
        return this instanceof Password password ? password.password() : ((PrivateKey) this).passphrase();
    }
}
