// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cairn ve migrate NAME --to NODE}: a move is the fleet's, so the panel drives it (it knows both nodes, keeps
 * the VE's record and routes, and takes the move up if it is interrupted); this asks it through its API with an
 * admin's token and follows the job to its end.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
		description = { "Move a VE to another node of the fleet, through the panel: its files are copied while it runs,"
				+ " then it stops, what changed is copied and it starts on the other node; with --live its processes go"
				+ " with it instead of a stop and a start.",
				"Needs an admin's API token: in the file --token-file names, or in CAIRN_API_TOKEN." })
class MigrateCommand implements Callable<Integer> {

	@Parameters(paramLabel = "NAME", description = "The VE: its name on its node or its host name.")
	String name;

	@Option(names = "--to", required = true, paramLabel = "NODE",
			description = "The node to move it to, as the panel names it ('local': the panel's own machine).")
	String node;

	@Option(names = "--live", description = "Move a running VE with its processes (a checkpoint on this node, restored"
			+ " on the other: its TCP connections carry on) instead of stopping and starting it. Needs CRIU on both nodes.")
	boolean live;

	@Option(names = "--panel", paramLabel = "URL", defaultValue = "${env:CAIRN_PANEL_URL:-http://127.0.0.1:8080}",
			description = "The panel (default: $CAIRN_PANEL_URL, else ${DEFAULT-VALUE}).")
	String panel;

	@Option(names = "--token-file", paramLabel = "FILE",
			description = "A file holding an admin's API token (else $CAIRN_API_TOKEN).")
	java.nio.file.Path tokenFile;

	@Spec
	CommandSpec spec;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Override
	public Integer call() throws IOException, InterruptedException {
		String token = tokenFile != null ? java.nio.file.Files.readString(tokenFile).strip()
				: System.getenv("CAIRN_API_TOKEN");
		if (token == null || token.isBlank()) {
			spec.commandLine().getErr().println("cairn: give an admin's API token (--token-file, or CAIRN_API_TOKEN;"
					+ " the panel: Account, API tokens)");
			return ExitCodes.USAGE;
		}
		JsonNode ves = call(token, HttpRequest.newBuilder(uri("/api/v1/admin/ves")).GET());
		Long id = null;
		for (JsonNode ve : ves) {
			if (name.equals(ve.path("name").asString()) || name.equals(ve.path("hostname").asString())) {
				id = ve.get("id").asLong();
			}
		}
		if (id == null) {
			spec.commandLine().getErr().println("cairn: the panel has no VE named " + name);
			return ExitCodes.NOT_FOUND;
		}
		JsonNode job = call(token, HttpRequest.newBuilder(uri("/api/v1/admin/ves/" + id + "/migrate"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(java.util.Map.of("node", node, "live", live)))));
		String shown = "";
		while (true) {
			String state = job.path("state").asString();
			String progress = job.path("progress").asString();
			if (!progress.equals(shown)) {
				System.out.println(progress);
				shown = progress;
			}
			if (state.equals("succeeded")) {
				return 0;
			}
			if (state.equals("failed")) {
				spec.commandLine().getErr().println("cairn: " + job.path("error").asString());
				return ExitCodes.ERROR;
			}
			Thread.sleep(500);
			job = call(token, HttpRequest.newBuilder(uri("/api/v1/admin/jobs/" + job.get("id").asLong())).GET());
		}
	}

	private URI uri(String path) {
		return URI.create(panel.replaceAll("/+$", "") + path);
	}

	private JsonNode call(String token, HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response;
		try {
			response = http.send(request.header("Authorization", "Bearer " + token)
				.header("Accept", "application/json")
				.timeout(Duration.ofSeconds(60))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new org.cairn.engine.EngineException("cannot reach the panel at " + panel + " (--panel): " + ex, ex);
		}
		if (response.statusCode() >= 300) {
			String detail;
			try {
				detail = json.readTree(response.body()).path("detail").asString("HTTP " + response.statusCode());
			}
			catch (RuntimeException ex) {
				detail = "HTTP " + response.statusCode();
			}
			throw response.statusCode() == 404 ? new org.cairn.engine.EngineException.NotFound(detail)
					: new org.cairn.engine.EngineException(detail);
		}
		return json.readTree(response.body());
	}
}
