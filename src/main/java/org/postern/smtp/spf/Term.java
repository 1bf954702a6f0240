package org.postern.smtp.spf;

/** One term of an SPF record (RFC 7208 §4.6.1): a directive with its qualifier, or a modifier. */
sealed interface Term {
    /** §4.6.2: '+' pass (the default), '-' fail, '~' softfail, '?' neutral. */
    record Directive(char qualifier, Mechanism mechanism) implements Term {}

    /** §6: redirect= and exp=; unknown modifiers are kept out (ignored, §6). */
    record Modifier(String name, String value) implements Term {}

    /** §5: the mechanisms. */
    sealed interface Mechanism {}

    record All() implements Mechanism {}

    record Include(String domain) implements Mechanism {}

    /** a and mx: the domain (null for the current one) and prefix lengths. */
    record A(String domain, int cidr4, int cidr6) implements Mechanism {}

    record MxM(String domain, int cidr4, int cidr6) implements Mechanism {}

    record Ptr(String domain) implements Mechanism {}

    record Ip(java.net.InetAddress network, int prefix) implements Mechanism {}

    record Exists(String domain) implements Mechanism {}
}
