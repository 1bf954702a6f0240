package org.postern.auth;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.postern.store.Security;

/**
 * Turning 2-Step Verification on and off, and checking its codes (RFC 6238 TOTP, or a one-time
 * backup code). Mail protocols never ask for a code: with 2SV on they accept only app passwords;
 * codes are asked for at web sign-in.
 */
public final class TwoStepVerification {
    /** What enrolment gives the person, once: the secret, the URI for the QR code, the backup codes. */
    public record Enrolment(String secret, String uri, List<String> backupCodes) {}

    private final Security security;
    private final Clock clock;
    private final String issuer;

    public TwoStepVerification(Security security, Clock clock, String issuer) {
        this.security = security;
        this.clock = clock;
        this.issuer = issuer;
    }

    public boolean isOn(long accountId) {
        return security.totpSecret(accountId).isPresent();
    }

    /** Turns it on (or renews it) with a new secret and ten new backup codes. */
    public Enrolment enable(long accountId, String accountEmail) {
        String secret = Totp.newSecret();
        List<String> codes = Secrets.newBackupCodes();
        security.enableTwoStep(accountId, secret, codes.stream().map(Secrets::sha256).toList());
        return new Enrolment(secret, Totp.uri(issuer, accountEmail, secret), codes);
    }

    public void disable(long accountId) {
        security.disableTwoStep(accountId);
    }

    /**
     * Whether {@code code} is the account's current TOTP code (±1 step, each step once only) or
     * one of its unused backup codes (then used up).
     */
    public boolean verify(long accountId, String code) {
        Optional<String> secret = security.totpSecret(accountId);
        if (secret.isEmpty() || code == null) {
            return false;
        }
        String c = code.replace(" ", "").replace("-", "");
        long step = Totp.matchingStep(secret.get(), c, clock.millis());
        if (step >= 0) {
            return security.useTotpStep(accountId, step);
        }
        return c.length() == 8 && c.chars().allMatch(Character::isDigit) && security.useBackupCode(accountId, Secrets.sha256(c));
    }

    public int backupCodesLeft(long accountId) {
        return security.backupCodesLeft(accountId);
    }
}
