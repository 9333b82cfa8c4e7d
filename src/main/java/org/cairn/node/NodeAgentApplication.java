// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.nio.file.Path;
import java.util.Map;

import org.cairn.engine.EngineSettings;
import org.cairn.engine.VeEngine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The node agent, {@code cairn node serve}: the engine's facade over HTTPS with mutual TLS, for the panel only. It
 * holds no database and no customer data; its TLS identity is what {@code cairn node join} kept (a Spring Boot PEM
 * SSL bundle that reloads when the files change, so that a rotated certificate needs no restart). A client must
 * show a certificate of the fleet's authority, and only the panel's ({@link PanelOnlyFilter}) is let in.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, SslAutoConfiguration.class,
		TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
		WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class })
@Import({ NodeAgentApi.class, PanelOnlyFilter.class, NodeAgentSockets.class })
public class NodeAgentApplication {

	private final EngineSettings engine;

	private final Path identity;

	NodeAgentApplication(EngineSettings engine, Path nodeIdentityDir) {
		this.engine = engine;
		this.identity = nodeIdentityDir;
	}

	@Bean
	NodeIdentity nodeIdentity() {
		return new NodeIdentity(identity);
	}

	@Bean
	VeEngine veEngine() {
		return VeEngine.open(engine);
	}

	/** Runs the agent (see {@link #start}) until it is stopped. */
	public static void serve(Path dir, String host, int port, EngineSettings engine) throws InterruptedException {
		ConfigurableApplicationContext agent = start(dir, host, port, engine);
		java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
		agent.addApplicationListener(event -> {
			if (event instanceof org.springframework.context.event.ContextClosedEvent) {
				closed.countDown();
			}
		});
		closed.await();
	}

	/**
	 * Starts the agent on {@code host:port} (port 0: a free one) with the identity in {@code dir} (node.key, node.crt,
	 * ca.crt) over the engine {@code engine}.
	 */
	public static ConfigurableApplicationContext start(Path dir, String host, int port, EngineSettings engine) {
		Map<String, Object> properties = new java.util.LinkedHashMap<>();
		// not the panel's application.yml (its port, its database): the agent has no configuration file of its own
		properties.put("spring.config.name", "cairn-node-agent");
		properties.put("server.address", host);
		properties.put("server.port", port);
		properties.put("server.ssl.bundle", "node");
		properties.put("server.ssl.client-auth", "need");
		properties.put("spring.ssl.bundle.pem.node.keystore.certificate", "file:" + dir.resolve("node.crt"));
		properties.put("spring.ssl.bundle.pem.node.keystore.private-key", "file:" + dir.resolve("node.key"));
		properties.put("spring.ssl.bundle.pem.node.truststore.certificate", "file:" + dir.resolve("ca.crt"));
		properties.put("spring.ssl.bundle.pem.node.reload-on-update", true);
		// a rotated certificate is served a second after its files settle
		properties.put("spring.ssl.bundle.watch.file.quiet-period", "1s");
		properties.put("spring.main.banner-mode", "off");
		// the node's record of a refused handshake (a stranger's certificate, one that has ended, none): Tomcat's
		// line with the peer's address and why, in the agent's log (the journal); the node keeps no other
		properties.put("logging.level.org.apache.tomcat.util.net.NioEndpoint.handshake", "debug");
		// a template build streams its log for as long as it takes
		properties.put("spring.mvc.async.request-timeout", "-1");
		SpringApplication application = new SpringApplication(NodeAgentApplication.class);
		application.addInitializers(context -> {
			context.getBeanFactory().registerSingleton("engineSettings", engine);
			context.getBeanFactory().registerSingleton("nodeIdentityDir", dir);
		});
		// as command-line arguments: above anything the environment says
		return application.run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new));
	}
}
