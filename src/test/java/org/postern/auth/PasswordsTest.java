package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void hashesAreArgon2idPhcStringsThatVerify() {
        String h = Passwords.hash("correct horse battery staple");
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.verify("correct horse battery staple", h)).isTrue();
        assertThat(Passwords.verify("correct horse battery stapl", h)).isFalse();
        assertThat(Passwords.hash("same")).isNotEqualTo(Passwords.hash("same"));
    }

    @Test
    void aKnownVectorFromTheReferenceImplementationVerifies() {
        // From the reference implementation (Debian argon2): echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(Passwords.verify("password", reference)).isTrue();
        assertThat(Passwords.verify("Password", reference)).isFalse();
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {"", "x", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh",
                "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8xPENTsh2Qyk",
                "$argon2id$v=19$m=65536,t=2,p=1$!!!$CTFh"}) {
            assertThat(Passwords.verify("password", bad)).as(bad).isFalse();
        }
        assertThat(Passwords.verify("x".repeat(Passwords.MAX_LENGTH + 1), Passwords.hash("y"))).isFalse();
    }

    @Test
    void generatedPasswordsAreLongAndVaried() {
        String p = Passwords.generate();
        assertThat(p).matches("[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}");
        assertThat(Passwords.weakness(p)).isNull();
        assertThat(Passwords.generate()).isNotEqualTo(p);
        assertThat(Passwords.weakness("short")).contains("at least 8");
    }
}
