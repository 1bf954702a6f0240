package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Coverage-guided fuzzing (Jazzer) of the SASL decoders every protocol uses on what a client
 * sends before it is authenticated: PLAIN, LOGIN, OAUTHBEARER and XOAUTH2, given either raw text
 * or valid base64 of fuzzed bytes (so the fuzzer gets past the base64 check). Each gives a value
 * or {@link Sasl.SaslException}, nothing else; PLAIN's credentials encode back to themselves;
 * a bearer token and user name are never empty.
 */
class SaslFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decoders(FuzzedDataProvider data) {
        int mechanism = data.consumeInt(0, 3);
        boolean encode = data.consumeBoolean();
        String response = encode ? Base64.getEncoder().encodeToString(data.consumeRemainingAsBytes())
                : data.consumeRemainingAsString();
        try {
            switch (mechanism) {
                case 0 -> {
                    Sasl.Credentials c = Sasl.plain(response);
                    assertThat(c.username()).isNotEmpty();
                    String again = Base64.getEncoder().encodeToString(("\0" + c.username() + "\0" + c.password())
                            .getBytes(StandardCharsets.UTF_8));
                    assertThat(Sasl.plain(again)).isEqualTo(c);
                    assertThat(c.toString()).as("the password is hidden").endsWith(", ***]");
                }
                case 1 -> assertThat(Sasl.loginStep(response)).isNotNull();
                case 2 -> {
                    Sasl.BearerToken t = Sasl.oauthBearer(response);
                    assertThat(t.username()).isNotEmpty();
                    assertThat(t.token()).isNotBlank();
                }
                default -> {
                    Sasl.BearerToken t = Sasl.xoauth2(response);
                    assertThat(t.username()).isNotEmpty();
                    assertThat(t.token()).isNotBlank();
                }
            }
        } catch (Sasl.SaslException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
