package org.postern.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS questions mail asks. An empty list is NODATA (the name exists, without records of
 * that type); a name that does not exist throws {@link DnsException.NoSuchDomain}; no answer
 * now throws {@link DnsException}. Names are given without a trailing dot.
 */
public interface Dns {

    List<Mx> mx(String domain) throws DnsException;

    /** A records (IPv4). */
    List<InetAddress> a(String host) throws DnsException;

    /** AAAA records (IPv6). */
    List<InetAddress> aaaa(String host) throws DnsException;

    /** TXT records, each record's character-strings joined without a separator (RFC 7208 §3.3). */
    List<String> txt(String name) throws DnsException;

    /** PTR names of an address (RFC 1035 §3.5), without the trailing dot. */
    List<String> ptr(InetAddress address) throws DnsException;

    /**
     * A and AAAA of a host, IPv4 first. NXDOMAIN for one type is NXDOMAIN for both; one type
     * failing temporarily while the other answers still gives the answers.
     */
    default List<InetAddress> addresses(String host) throws DnsException {
        List<InetAddress> out = new ArrayList<>();
        DnsException failure = null;
        try {
            out.addAll(a(host));
        } catch (DnsException.NoSuchDomain e) {
            throw e;
        } catch (DnsException e) {
            failure = e;
        }
        try {
            out.addAll(aaaa(host));
        } catch (DnsException.NoSuchDomain e) {
            if (out.isEmpty()) {
                throw e;
            }
        } catch (DnsException e) {
            if (out.isEmpty()) {
                throw e;
            }
        }
        if (out.isEmpty() && failure != null) {
            throw failure;
        }
        return out;
    }
}
