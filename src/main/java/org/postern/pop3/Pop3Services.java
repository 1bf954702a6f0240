package org.postern.pop3;

import java.time.Clock;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.store.Directory;
import org.postern.store.MailStore;

/** Everything a POP3 session works with (STYLE.md 9: a context, not singletons). */
public record Pop3Services(
        MailStore store,
        Directory directory,
        Authenticator authenticator,
        LiveSessions sessions,
        Pop3Settings settings,
        Clock clock) {}
