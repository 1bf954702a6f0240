package org.postern.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postern.net.PemKeyMaterial;
import org.postern.net.TlsConfigException;
import org.postern.web.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Explain why a mail client cannot connect to EMAIL: the account, its IMAP/POP switches, "
                + "2-Step Verification and app passwords, the latest refusals and their reasons, the "
                + "certificate, which ports listen; and one sentence saying what to change.")
public final class DoctorCommand extends StoreCommand {
    private static final List<ListenerName> MAIL = List.of(ListenerName.IMAPS, ListenerName.IMAP, ListenerName.POP3S,
            ListenerName.POP3, ListenerName.SUBMISSIONS, ListenerName.SUBMISSION);

    @Parameters(paramLabel = "EMAIL")
    String email;

    @Override
    int run(Services s, PrintWriter out) {
        Config c = s.config();
        X509Certificate leaf;
        try {
            leaf = PemKeyMaterial.readCertificates(c.tlsCertificate()).getFirst();
        } catch (TlsConfigException e) {
            throw new CommandFailed("cannot read the certificate: " + e.getMessage());
        }
        Map<String, Boolean> listening = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (ListenerName n : MAIL) {
            ListenAddress a = c.listener(n);
            addresses.put(n.word(), a.toString());
            listening.put(n.word(), !a.isOff() && listens(a));
        }
        Doctor.Report r = Doctor.diagnose(s.directory(), s.security(), new Doctor.Server(c.hostname(), leaf, c.requireAppPasswords(),
                c.maxConnectionsPerAccount(), listening, addresses), email, s.clock().millis());
        out.print(r.text());
        return 0;
    }

    /** Whether something accepts connections there now (a wildcard is tried on this machine). */
    private static boolean listens(ListenAddress a) {
        InetSocketAddress target = a.isWildcard() ? new InetSocketAddress("127.0.0.1", a.port()) : a.socketAddress();
        try (Socket socket = new Socket()) {
            socket.connect(target, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
