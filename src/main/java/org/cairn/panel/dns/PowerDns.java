// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;

/**
 * PowerDNS Authoritative's HTTP API, as far as reverse DNS needs it: native zones with an SOA, and PTR records
 * replaced or deleted one name at a time (an rrset PATCH is one transaction on the server).
 */
final class PowerDns {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String zonesUrl;

	private final String serverUrl;

	private final String apiKey;

	PowerDns(String apiUrl, String apiKey, String serverId) {
		String base = apiUrl.replaceAll("/+$", "");
		this.serverUrl = base + "/api/v1/servers/" + serverId;
		this.zonesUrl = serverUrl + "/zones";
		this.apiKey = apiKey;
	}

	boolean reachable() {
		try {
			return send("GET", serverUrl, null).statusCode() == 200;
		}
		catch (DnsException ex) {
			return false;
		}
	}

	/** Makes the zone (with an SOA naming {@code primary}) unless it exists. */
	void ensureZone(String zone, String primary) {
		if (send("GET", zonesUrl + "/" + zone, null).statusCode() == 200) {
			return;
		}
		Map<String, Object> body = Map.of("name", zone, "kind", "Native", "nameservers", List.of(), "rrsets",
				List.of(Map.of("name", zone, "type", "SOA", "ttl", 3600, "records", List.of(Map.of("content", primary
						+ " hostmaster." + primary + " 1 10800 3600 604800 3600", "disabled", false)))));
		HttpResponse<String> made = send("POST", zonesUrl, body);
		if (made.statusCode() != 201 && made.statusCode() != 409) {
			throw new DnsException("PowerDNS refused the zone " + zone + ": " + made.body());
		}
	}

	void deleteZone(String zone) {
		HttpResponse<String> deleted = send("DELETE", zonesUrl + "/" + zone, null);
		if (deleted.statusCode() != 204 && deleted.statusCode() != 404) {
			throw new DnsException("PowerDNS did not delete the zone " + zone + ": " + deleted.body());
		}
	}

	/** Sets the PTR of {@code name} (in {@code zone}) to {@code target}, or removes it when target is null. */
	void setPtr(String zone, String name, String target) {
		Map<String, Object> rrset = target == null
				? Map.of("name", name, "type", "PTR", "changetype", "DELETE")
				: Map.of("name", name, "type", "PTR", "ttl", 3600, "changetype", "REPLACE", "records",
						List.of(Map.of("content", target, "disabled", false)));
		HttpResponse<String> patched = send("PATCH", zonesUrl + "/" + zone, Map.of("rrsets", List.of(rrset)));
		if (patched.statusCode() == 404 && target == null) {
			return;
		}
		if (patched.statusCode() != 204) {
			throw new DnsException("PowerDNS refused the record " + name + ": " + patched.body());
		}
	}

	/** Sets any record (the tests' forward zones use it for A and AAAA). */
	void setRecord(String zone, String name, String type, String content) {
		Map<String, Object> rrset = Map.of("name", name, "type", type, "ttl", 60, "changetype", "REPLACE", "records",
				List.of(Map.of("content", content, "disabled", false)));
		HttpResponse<String> patched = send("PATCH", zonesUrl + "/" + zone, Map.of("rrsets", List.of(rrset)));
		if (patched.statusCode() != 204) {
			throw new DnsException("PowerDNS refused the record " + name + ": " + patched.body());
		}
	}

	private HttpResponse<String> send(String method, String url, Object body) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
				.header("X-API-Key", apiKey);
			if (body != null) {
				request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
			}
			else {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new DnsException("PowerDNS does not answer at " + url + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DnsException("interrupted while asking PowerDNS");
		}
	}

	/** PowerDNS is unreachable or refused a change. */
	static final class DnsException extends RuntimeException {

		DnsException(String message) {
			super(message);
		}
	}
}
