package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.ListenerName;
import org.postern.testing.TestServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Client autoconfiguration, checked against the formats the clients read: Thunderbird's
 * clientConfig 1.1, Outlook's POX Autodiscover (responseschema/2006a) and Apple's profile plist.
 */
@Timeout(60)
class AutoconfigRoutesTest {
    static final String ALICE = "alice@example.org";
    static final String AUTODISCOVER = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    @TempDir
    Path dir;

    TestServer server;
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String httpBase() {
        return "http://127.0.0.1:" + server.address(ListenerName.HTTP).getPort();
    }

    static Document xml(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String child(Element e, String name) {
        NodeList n = e.getElementsByTagNameNS("*", name);
        assertThat(n.getLength()).as("<%s> in <%s>", name, e.getTagName()).isPositive();
        return n.item(0).getTextContent();
    }

    static List<Element> elements(Node parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void thunderbirdGetsClientConfigWithTlsServersFirst() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpBase()
                + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + ALICE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        Element root = xml(r.body()).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("clientConfig");
        assertThat(root.getAttribute("version")).isEqualTo("1.1");
        Element provider = elements(root, "emailProvider").getFirst();
        assertThat(provider.getAttribute("id")).isEqualTo("example.org");
        assertThat(child(provider, "domain")).isEqualTo("example.org");
        List<Element> incoming = elements(provider, "incomingServer");
        assertThat(incoming).extracting(e -> e.getAttribute("type")).containsExactly("imap", "imap", "pop3", "pop3");
        Element imaps = incoming.getFirst();
        assertThat(child(imaps, "hostname")).isEqualTo("localhost");
        assertThat(child(imaps, "port")).isEqualTo(String.valueOf(server.imapsPort()));
        assertThat(child(imaps, "socketType")).isEqualTo("SSL");
        assertThat(child(imaps, "authentication")).isEqualTo("password-cleartext");
        assertThat(child(imaps, "username")).isEqualTo("%EMAILADDRESS%");
        assertThat(child(incoming.get(1), "socketType")).isEqualTo("STARTTLS");
        List<Element> outgoing = elements(provider, "outgoingServer");
        assertThat(outgoing).extracting(e -> e.getAttribute("type")).containsExactly("smtp", "smtp");
        assertThat(child(outgoing.getFirst(), "port")).isEqualTo(String.valueOf(server.submissionsPort()));
        // Every socketType is one Thunderbird knows; no plain text.
        assertThat(r.body()).doesNotContain("<socketType>plain</socketType>");
    }

    @Test
    void theAutoconfigHostNeedsNoAddressAndUnknownDomainsGetNothing() throws Exception {
        String answer = rawGet("/mail/config-v1.1.xml", "autoconfig.example.org");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("<emailProvider id=\"example.org\">");
        assertThat(rawGet("/mail/config-v1.1.xml", "autoconfig.example.net")).startsWith("HTTP/1.1 404");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpBase()
                + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob@example.net")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void outlookGetsPoxAutodiscoverForItsRequest() throws Exception {
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>alice@example.org</EMailAddress>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>
                """;
        for (String path : new String[] {"/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpBase() + path))
                    .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            Element root = xml(r.body()).getDocumentElement();
            assertThat(root.getNamespaceURI()).isEqualTo(AUTODISCOVER);
            assertThat(root.getLocalName()).isEqualTo("Autodiscover");
            Element response = elements(root, "Response").getFirst();
            assertThat(response.getNamespaceURI()).isEqualTo(OUTLOOK);
            Element account = elements(response, "Account").getFirst();
            assertThat(child(account, "AccountType")).isEqualTo("email");
            assertThat(child(account, "Action")).isEqualTo("settings");
            List<Element> protocols = elements(account, "Protocol");
            assertThat(protocols).extracting(p -> child(p, "Type")).containsExactly("IMAP", "POP3", "SMTP");
            Element imap = protocols.getFirst();
            assertThat(child(imap, "Server")).isEqualTo("localhost");
            assertThat(child(imap, "Port")).isEqualTo(String.valueOf(server.imapsPort()));
            assertThat(child(imap, "SSL")).isEqualTo("on");
            assertThat(child(imap, "LoginName")).isEqualTo(ALICE);
            assertThat(child(imap, "SPA")).isEqualTo("off");
            assertThat(child(imap, "AuthRequired")).isEqualTo("on");
            assertThat(child(protocols.get(2), "Port")).isEqualTo(String.valueOf(server.submissionsPort()));
        }
    }

    @Test
    void autodiscoverRefusesUnknownDomainsAndDocumentTypes() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>";
        for (String body : new String[] {xxe, "not xml", "<Autodiscover><Request><EMailAddress>bob@example.net</EMailAddress></Request></Autodiscover>"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpBase() + "/autodiscover/autodiscover.xml"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(child(xml(r.body()).getDocumentElement(), "ErrorCode")).isEqualTo("600");
            assertThat(r.body()).doesNotContain("root:");
        }
    }

    @Test
    void appleDevicesGetAProfileForTheSignedInAccount() throws Exception {
        WebClient web = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
        assertThat(web.get("/setup/apple.mobileconfig").statusCode()).as("only for a signed-in person").isEqualTo(303);
        web.signIn(ALICE, TestServer.PASSWORD);
        assertThat(web.open("/setup").body()).contains("Download the configuration profile").contains("autoconfig.example.org");
        HttpResponse<String> r = web.get("/setup/apple.mobileconfig");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-apple-aspen-config");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment").contains(".mobileconfig");
        Map<String, String> top = plistDict(xml(r.body()).getDocumentElement());
        assertThat(top).containsEntry("PayloadType", "Configuration").containsEntry("PayloadVersion", "1").containsKey("PayloadUUID");
        Element array = (Element) xml(r.body()).getElementsByTagName("array").item(0);
        Map<String, String> mail = plistDict(array);
        assertThat(mail).containsEntry("PayloadType", "com.apple.mail.managed").containsEntry("EmailAccountType", "EmailTypeIMAP")
                .containsEntry("EmailAddress", ALICE).containsEntry("IncomingMailServerHostName", "localhost")
                .containsEntry("IncomingMailServerPortNumber", String.valueOf(server.imapsPort()))
                .containsEntry("IncomingMailServerUseSSL", "true").containsEntry("IncomingMailServerUsername", ALICE)
                .containsEntry("OutgoingMailServerPortNumber", String.valueOf(server.submissionsPort()))
                .containsEntry("IncomingMailServerAuthentication", "EmailAuthPassword");
        assertThat(mail.get("PayloadUUID")).matches("[0-9A-F-]{36}").isNotEqualTo(top.get("PayloadUUID"));
    }

    @Test
    void theMtaStsPolicyIsServed() throws Exception {
        WebClient web = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
        HttpResponse<String> r = web.get("/.well-known/mta-sts.txt");
        assertThat(r.body()).isEqualTo("version: STSv1\nmode: testing\nmx: localhost\nmax_age: 604800\n");
    }

    /** The key/value pairs of the first plist dict under {@code under}; booleans as "true"/"false". */
    static Map<String, String> plistDict(Element under) {
        Element dict = (Element) under.getElementsByTagName("dict").item(0);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String key = null;
        for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if (e.getTagName().equals("key")) {
                key = e.getTextContent();
            } else if (key != null) {
                out.put(key, switch (e.getTagName()) {
                    case "true", "false" -> e.getTagName();
                    default -> e.getTextContent();
                });
                key = null;
            }
        }
        return out;
    }

    String rawGet(String path, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address(ListenerName.HTTP).getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
