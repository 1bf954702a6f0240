package org.postern.mime;

import java.util.List;
import java.util.Optional;

/** IMAP part numbering (RFC 3501 §6.4.5, RFC 9051 §6.4.5). */
final class PartPath {

    private PartPath() {
    }

    /**
     * Follows {@code path} from a message whose top-level entity is {@code root}. The numbered
     * children of a message are those of its top-level entity when that is multipart, else the
     * top-level entity alone as part 1; a message/rfc822 part numbers the same way for the
     * message it embeds.
     */
    static Optional<BodyPart> resolve(BodyPart root, int[] path) {
        if (path.length == 0) {
            return Optional.empty();
        }
        BodyPart current = null;
        BodyPart messageRoot = root;
        for (int i = 0; i < path.length; i++) {
            List<BodyPart> children;
            if (messageRoot != null) {
                children = messageRoot instanceof BodyPart.Multipart m ? m.children() : List.of(messageRoot);
            } else if (current instanceof BodyPart.Multipart m) {
                children = m.children();
            } else {
                return Optional.empty();
            }
            int n = path[i];
            if (n < 1 || n > children.size()) {
                return Optional.empty();
            }
            current = children.get(n - 1);
            messageRoot = current instanceof BodyPart.Message msg ? msg.body() : null;
        }
        return Optional.of(current);
    }
}
