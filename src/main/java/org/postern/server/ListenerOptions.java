package org.postern.server;

import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --smtp HOST:PORT|off}, {@code --imaps ...}: where each listener listens, overriding postern.conf. */
public final class ListenerOptions {
    static final class Converter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return ListenAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--smtp", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "Inbound SMTP (MX), standard port 25.")
    ListenAddress smtp;

    @Option(names = "--submission", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "Submission with STARTTLS, standard port 587.")
    ListenAddress submission;

    @Option(names = "--submissions", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "Submission over TLS, standard port 465.")
    ListenAddress submissions;

    @Option(names = "--imap", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "IMAP with STARTTLS, standard port 143.")
    ListenAddress imap;

    @Option(names = "--imaps", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "IMAP over TLS, standard port 993.")
    ListenAddress imaps;

    @Option(names = "--pop3", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "POP3 with STLS, standard port 110.")
    ListenAddress pop3;

    @Option(names = "--pop3s", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "POP3 over TLS, standard port 995.")
    ListenAddress pop3s;

    @Option(names = "--http", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "HTTP, standard port 80.")
    ListenAddress http;

    @Option(names = "--https", paramLabel = "HOST:PORT|off", converter = Converter.class, description = "HTTPS, standard port 443.")
    ListenAddress https;

    /** The listeners named on the command line. */
    Map<ListenerName, ListenAddress> given() {
        Map<ListenerName, ListenAddress> m = new EnumMap<>(ListenerName.class);
        put(m, ListenerName.SMTP, smtp);
        put(m, ListenerName.SUBMISSION, submission);
        put(m, ListenerName.SUBMISSIONS, submissions);
        put(m, ListenerName.IMAP, imap);
        put(m, ListenerName.IMAPS, imaps);
        put(m, ListenerName.POP3, pop3);
        put(m, ListenerName.POP3S, pop3s);
        put(m, ListenerName.HTTP, http);
        put(m, ListenerName.HTTPS, https);
        return m;
    }

    private static void put(Map<ListenerName, ListenAddress> m, ListenerName n, ListenAddress a) {
        if (a != null) {
            m.put(n, a);
        }
    }
}
