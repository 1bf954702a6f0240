package org.postern.net;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A certificate or key file cannot be used. The message is one line that names the file and
 * says what is wrong and, where there is one, what to do, so it can be shown to an administrator
 * as it is.
 */
public final class TlsConfigException extends IOException {

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static TlsConfigException of(Path file, String problem) {
        return new TlsConfigException(file + ": " + problem);
    }

    static TlsConfigException of(Path file, String problem, Throwable cause) {
        return new TlsConfigException(file + ": " + problem, cause);
    }
}
