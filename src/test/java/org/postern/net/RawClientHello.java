package org.postern.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/**
 * Builds a TLS ClientHello by hand (RFC 5246 §7.4.1.2), so a test can offer what the JDK's own
 * client no longer will, such as TLS 1.1, and read the server's first record.
 */
final class RawClientHello {
    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;
    static final int ECDHE_ECDSA_AES_128_CBC_SHA = 0xC009;
    static final int ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xC02B;

    private RawClientHello() {
    }

    static byte[] build(int version, int... suites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new Random(1).nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        u16(body, suites.length * 2);
        for (int s : suites) {
            u16(body, s);
        }
        body.write(1); // one compression method:
        body.write(0); // null

        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 0x000a); // supported_groups (RFC 8422 §5.1.1): secp256r1
        u16(ext, 4);
        u16(ext, 2);
        u16(ext, 0x0017);
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        u16(ext, 0x000d); // signature_algorithms (RFC 5246 §7.4.1.4.1)
        u16(ext, 8);
        u16(ext, 6);
        u16(ext, 0x0403); // ecdsa_secp256r1_sha256
        u16(ext, 0x0804); // rsa_pss_rsae_sha256
        u16(ext, 0x0401); // rsa_pkcs1_sha256
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        u24(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16); // handshake
        u16(record, 0x0301);
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    /** The server's first record: content type and the first bytes of its body. */
    record Reply(int contentType, int version, byte[] body) {
        boolean isAlert() {
            return contentType == 0x15;
        }

        int alertDescription() {
            return body[1] & 0xff;
        }

        boolean isServerHello() {
            return contentType == 0x16 && body.length > 0 && body[0] == 2;
        }
    }

    static Reply readReply(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int type = d.readUnsignedByte();
        int version = d.readUnsignedShort();
        int length = d.readUnsignedShort();
        byte[] body = new byte[Math.min(length, 64)];
        d.readFully(body);
        return new Reply(type, version, body);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >>> 16);
        u16(out, v);
    }
}
