package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainTakesTheUserAndPasswordAndRefusesOtherIdentities() throws Exception {
        assertThat(Sasl.plain(b64("\0alice@example.org\0sécret"))).isEqualTo(new Sasl.Credentials("alice@example.org", "sécret"));
        assertThat(Sasl.plain(b64("alice@example.org\0alice@example.org\0pw")).username()).isEqualTo("alice@example.org");
        assertThatThrownBy(() -> Sasl.plain(b64("bob@example.org\0alice@example.org\0pw"))).hasMessageContaining("another user");
        assertThatThrownBy(() -> Sasl.plain(b64("no nuls"))).isInstanceOf(Sasl.SaslException.class);
        assertThatThrownBy(() -> Sasl.plain("!!!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> Sasl.plain(Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xff})))
                .hasMessageContaining("UTF-8");
    }

    @Test
    void oauthBearerAndXoauth2GiveTheUserAndToken() throws Exception {
        var t = Sasl.oauthBearer(b64("n,a=alice@example.org,\u0001host=mail.example.org\u0001port=993\u0001auth=Bearer pst_abc-_9\u0001\u0001"));
        assertThat(t).isEqualTo(new Sasl.BearerToken("alice@example.org", "pst_abc-_9"));
        var x = Sasl.xoauth2(b64("user=alice@example.org\u0001auth=Bearer pst_xyz\u0001\u0001"));
        assertThat(x).isEqualTo(new Sasl.BearerToken("alice@example.org", "pst_xyz"));
        assertThatThrownBy(() -> Sasl.oauthBearer(b64("n,,\u0001auth=Bearer x\u0001\u0001"))).hasMessageContaining("name the user");
        assertThatThrownBy(() -> Sasl.xoauth2(b64("user=a@b.c\u0001\u0001"))).hasMessageContaining("Bearer");
    }
}
