package org.postern.imap.parse;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parsed client command, one record per command (RFC 9051 §6 and the extensions named on each
 * record). Commands with a UID form carry {@code uid}. A {@code switch} over this type without a
 * {@code default} makes the compiler find every command a handler forgets.
 *
 * <p>Records that hold literals ({@link Append}) borrow them from the {@link WireCommand}: use
 * them before that is closed.
 */
public sealed interface Command {

    /** The command's name as the client would recognise it in a response, such as {@code UID FETCH}. */
    default String name() {
        return switch (this) {
            case Capability c -> "CAPABILITY";
            case Noop n -> "NOOP";
            case Logout l -> "LOGOUT";
            case Id i -> "ID";
            case Enable e -> "ENABLE";
            case StartTls s -> "STARTTLS";
            case Authenticate a -> "AUTHENTICATE";
            case Login l -> "LOGIN";
            case Compress c -> "COMPRESS";
            case Select s -> s.readOnly() ? "EXAMINE" : "SELECT";
            case Create c -> "CREATE";
            case Delete d -> "DELETE";
            case Rename r -> "RENAME";
            case Subscribe s -> "SUBSCRIBE";
            case Unsubscribe u -> "UNSUBSCRIBE";
            case ListMailboxes l -> "LIST";
            case Lsub l -> "LSUB";
            case Namespace n -> "NAMESPACE";
            case Status s -> "STATUS";
            case Append a -> "APPEND";
            case Idle i -> "IDLE";
            case GetQuota g -> "GETQUOTA";
            case GetQuotaRoot g -> "GETQUOTAROOT";
            case SetQuota s -> "SETQUOTA";
            case Check c -> "CHECK";
            case Close c -> "CLOSE";
            case Unselect u -> "UNSELECT";
            case Expunge e -> e.uids().isPresent() ? "UID EXPUNGE" : "EXPUNGE";
            case Search s -> s.uid() ? "UID SEARCH" : "SEARCH";
            case Fetch f -> f.uid() ? "UID FETCH" : "FETCH";
            case Store s -> s.uid() ? "UID STORE" : "STORE";
            case Copy c -> c.uid() ? "UID COPY" : "COPY";
            case Move m -> m.uid() ? "UID MOVE" : "MOVE";
            case Sort s -> s.uid() ? "UID SORT" : "SORT";
            case Thread t -> t.uid() ? "UID THREAD" : "THREAD";
        };
    }

    // ---- any state (RFC 9051 §6.1) ----

    /** RFC 9051 §6.1.1. */
    record Capability() implements Command {
    }

    /** RFC 9051 §6.1.2. */
    record Noop() implements Command {
    }

    /** RFC 9051 §6.1.3. */
    record Logout() implements Command {
    }

    /**
     * {@code ID} (RFC 2971 §3.1): the client's field-value pairs in order, a value null for NIL;
     * {@code ID NIL} gives an empty map.
     */
    record Id(Map<String, String> fields) implements Command {
        public Id {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** {@code ENABLE} (RFC 5161 §3.1, RFC 9051 §6.3.1): capability names in upper case. */
    record Enable(List<String> capabilities) implements Command {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    // ---- not authenticated (RFC 9051 §6.2) ----

    /** RFC 9051 §6.2.1. */
    record StartTls() implements Command {
    }

    /**
     * RFC 9051 §6.2.2, with SASL-IR (RFC 4959 §3): the initial response as the client sent it,
     * base64 or {@code =} for an empty one.
     */
    record Authenticate(String mechanism, Optional<String> initialResponse) implements Command {
        public Authenticate {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
        }

        @Override
        public String toString() {
            return "Authenticate[" + mechanism + (initialResponse.isPresent() ? ", initial response" : "") + "]";
        }
    }

    /** RFC 9051 §6.2.3. {@link #toString()} hides the password. */
    record Login(String user, String password) implements Command {
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Login[" + user + ", ***]";
        }
    }

    /** {@code COMPRESS} (RFC 4978 §3): the algorithm in upper case; only DEFLATE is defined. */
    record Compress(String mechanism) implements Command {
        public Compress {
            Objects.requireNonNull(mechanism, "mechanism");
        }
    }

    // ---- authenticated (RFC 9051 §6.3) ----

    /**
     * SELECT (RFC 9051 §6.3.2) or EXAMINE (§6.3.3), with CONDSTORE and QRESYNC parameters
     * (RFC 7162 §3.1.8, §3.2.5).
     */
    record Select(MailboxName mailbox, boolean readOnly, boolean condstore, Optional<Qresync> qresync)
            implements Command {
        public Select {
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(qresync, "qresync");
        }

        public static Select of(MailboxName mailbox, boolean readOnly) {
            return new Select(mailbox, readOnly, false, Optional.empty());
        }

        /**
         * {@code QRESYNC (uidvalidity modseq [known-uids [(known-sequence-set known-uid-set)]])}.
         */
        public record Qresync(long uidValidity, long modSeq, Optional<SequenceSet> knownUids,
                              Optional<SequenceSet> knownSequenceSet, Optional<SequenceSet> knownUidSet) {
            public Qresync {
                Objects.requireNonNull(knownUids, "knownUids");
                Objects.requireNonNull(knownSequenceSet, "knownSequenceSet");
                Objects.requireNonNull(knownUidSet, "knownUidSet");
                if (knownSequenceSet.isPresent() != knownUidSet.isPresent()) {
                    throw new IllegalArgumentException("sequence match data comes in pairs");
                }
            }
        }
    }

    /** RFC 9051 §6.3.4, with CREATE-SPECIAL-USE (RFC 6154 §3): {@code USE} attributes in canonical case. */
    record Create(MailboxName mailbox, List<String> specialUse) implements Command {
        public Create {
            Objects.requireNonNull(mailbox, "mailbox");
            specialUse = List.copyOf(specialUse);
        }
    }

    /** RFC 9051 §6.3.5. */
    record Delete(MailboxName mailbox) implements Command {
        public Delete {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** RFC 9051 §6.3.6. */
    record Rename(MailboxName from, MailboxName to) implements Command {
        public Rename {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** RFC 9051 §6.3.7. */
    record Subscribe(MailboxName mailbox) implements Command {
        public Subscribe {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** RFC 9051 §6.3.8. */
    record Unsubscribe(MailboxName mailbox) implements Command {
        public Unsubscribe {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /**
     * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154) and
     * LIST-STATUS (RFC 5819).
     *
     * @param reference   the reference name, decoded
     * @param patterns    the mailbox patterns, decoded, wildcards {@code *} and {@code %} kept;
     *                    those that are not valid modified UTF-7 are left out, as they match no
     *                    name, so the list may be empty
     * @param selection   selection options
     * @param returns     return options; with {@link ReturnOption#STATUS}, {@code statusItems} is not empty
     * @param statusItems the STATUS items of {@code RETURN (STATUS (...))}
     * @param extended    the extended syntax was used (options or a pattern list), which changes
     *                    some answers (RFC 5258 §3)
     */
    record ListMailboxes(String reference, List<String> patterns, Set<Selection> selection, Set<ReturnOption> returns,
                         List<StatusItem> statusItems, boolean extended) implements Command {

        /** {@code list-select-opt} (RFC 5258 §3.1, RFC 6154 §5). */
        public enum Selection { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

        /** {@code return-option} (RFC 5258 §3.2, RFC 6154 §5, RFC 5819 §2). */
        public enum ReturnOption { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }

        public ListMailboxes {
            Objects.requireNonNull(reference, "reference");
            patterns = List.copyOf(patterns);
            selection = selection.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(selection));
            returns = returns.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(returns));
            statusItems = List.copyOf(statusItems);
        }

        /** The basic form {@code LIST reference pattern}. */
        public static ListMailboxes basic(String reference, String pattern) {
            return new ListMailboxes(reference, List.of(pattern), Set.of(), Set.of(), List.of(), false);
        }
    }

    /**
     * {@code LSUB} (RFC 3501 §6.3.9; IMAP4rev1 only); the pattern is empty when it (or the
     * reference) is not valid modified UTF-7, so it matches no name.
     */
    record Lsub(String reference, Optional<String> pattern) implements Command {
        public Lsub {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(pattern, "pattern");
        }

        public Lsub(String reference, String pattern) {
            this(reference, Optional.of(pattern));
        }
    }

    /** RFC 9051 §6.3.10 (RFC 2342). */
    record Namespace() implements Command {
    }

    /** RFC 9051 §6.3.11. */
    record Status(MailboxName mailbox, List<StatusItem> items) implements Command {
        public Status {
            Objects.requireNonNull(mailbox, "mailbox");
            items = List.copyOf(items);
        }
    }

    /** RFC 9051 §6.3.12, with MULTIAPPEND (RFC 3502), BINARY (RFC 3516 §4.4), UTF8 (RFC 6855 §4). */
    record Append(MailboxName mailbox, List<AppendMessage> messages) implements Command {
        public Append {
            Objects.requireNonNull(mailbox, "mailbox");
            messages = List.copyOf(messages);
        }
    }

    /** RFC 9051 §6.3.13 (RFC 2177): the session then reads {@code DONE} as a raw line. */
    record Idle() implements Command {
    }

    /** {@code GETQUOTA quota-root} (RFC 9208 §4.2). */
    record GetQuota(String root) implements Command {
        public GetQuota {
            Objects.requireNonNull(root, "root");
        }
    }

    /** {@code GETQUOTAROOT mailbox} (RFC 9208 §4.3). */
    record GetQuotaRoot(MailboxName mailbox) implements Command {
        public GetQuotaRoot {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code SETQUOTA quota-root (resource limit ...)} (RFC 9208 §4.1); resource names in upper case. */
    record SetQuota(String root, List<Limit> limits) implements Command {
        public record Limit(String resource, long limit) {
            public Limit {
                Objects.requireNonNull(resource, "resource");
            }
        }

        public SetQuota {
            Objects.requireNonNull(root, "root");
            limits = List.copyOf(limits);
        }
    }

    // ---- selected (RFC 9051 §6.4) ----

    /** RFC 3501 §6.4.1 (IMAP4rev1; a NOOP in IMAP4rev2). */
    record Check() implements Command {
    }

    /** RFC 9051 §6.4.1. */
    record Close() implements Command {
    }

    /** RFC 9051 §6.4.2 (RFC 3691). */
    record Unselect() implements Command {
    }

    /** EXPUNGE (RFC 9051 §6.4.3), or UID EXPUNGE (§6.4.9, RFC 4315 §2.1) when {@code uids} is present. */
    record Expunge(Optional<SequenceSet> uids) implements Command {
        public Expunge {
            Objects.requireNonNull(uids, "uids");
        }
    }

    /**
     * SEARCH and UID SEARCH (RFC 9051 §6.4.4).
     *
     * @param returnOptions present for the ESEARCH form ({@code RETURN (...)}, RFC 4731)
     * @param charset       the CHARSET in upper case, if given; strings are already decoded with it
     * @param key           the search program; several top-level keys make an {@link SearchKey.And}
     */
    record Search(boolean uid, Optional<SearchReturn> returnOptions, Optional<String> charset, SearchKey key)
            implements Command {
        public Search {
            Objects.requireNonNull(returnOptions, "returnOptions");
            Objects.requireNonNull(charset, "charset");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * FETCH and UID FETCH (RFC 9051 §6.4.5) with CONDSTORE/QRESYNC modifiers (RFC 7162 §3.1.4,
     * §3.2.6) and PARTIAL (RFC 9394 §3.2). For UID FETCH the UID item is implied, not added.
     *
     * @param attributes   the data items, macros expanded; empty for {@code ()}
     * @param changedSince {@code CHANGEDSINCE modseq}
     * @param vanished     {@code VANISHED} (only with UID FETCH and CHANGEDSINCE)
     * @param partial      {@code PARTIAL range}: only that window of the messages the set names
     */
    record Fetch(SequenceSet set, boolean uid, List<FetchAttribute> attributes, OptionalLong changedSince,
                 boolean vanished, Optional<PartialRange> partial) implements Command {
        public Fetch {
            Objects.requireNonNull(set, "set");
            attributes = List.copyOf(attributes);
            Objects.requireNonNull(changedSince, "changedSince");
            Objects.requireNonNull(partial, "partial");
        }

        public static Fetch of(SequenceSet set, boolean uid, FetchAttribute... attributes) {
            return new Fetch(set, uid, List.of(attributes), OptionalLong.empty(), false, Optional.empty());
        }
    }

    /**
     * STORE and UID STORE (RFC 9051 §6.4.6) with {@code UNCHANGEDSINCE} (RFC 7162 §3.1.3).
     *
     * @param silent {@code .SILENT}: no FETCH responses for the change
     * @param flags  system flags in canonical case ({@code \Seen}), keywords as written
     */
    record Store(SequenceSet set, boolean uid, FlagOp op, boolean silent, List<String> flags,
                 OptionalLong unchangedSince) implements Command {
        public Store {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(op, "op");
            flags = List.copyOf(flags);
            Objects.requireNonNull(unchangedSince, "unchangedSince");
        }
    }

    /** COPY and UID COPY (RFC 9051 §6.4.7). */
    record Copy(SequenceSet set, boolean uid, MailboxName destination) implements Command {
        public Copy {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** MOVE and UID MOVE (RFC 9051 §6.4.8, RFC 6851). */
    record Move(SequenceSet set, boolean uid, MailboxName destination) implements Command {
        public Move {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * SORT and UID SORT (RFC 5256 §3), with ESORT's {@code RETURN} (RFC 5267 §3).
     *
     * @param charset in upper case; strings are already decoded with it
     */
    record Sort(boolean uid, List<SortCriterion> criteria, String charset, SearchKey key,
                Optional<SearchReturn> returnOptions) implements Command {
        public Sort {
            criteria = List.copyOf(criteria);
            Objects.requireNonNull(charset, "charset");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(returnOptions, "returnOptions");
        }
    }

    /** THREAD and UID THREAD (RFC 5256 §3). */
    record Thread(boolean uid, Algorithm algorithm, String charset, SearchKey key) implements Command {
        /** RFC 5256 §3. */
        public enum Algorithm { ORDEREDSUBJECT, REFERENCES }

        public Thread {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(charset, "charset");
            Objects.requireNonNull(key, "key");
        }
    }
}
