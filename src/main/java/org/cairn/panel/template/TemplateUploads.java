// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.template.TemplateImport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;

/**
 * An admin's archive, streamed from the request to a file of the panel's data folder as it arrives (never
 * held in memory), at most {@code cairn.templates.max-size}; then imported by {@link TemplateBuilds}.
 */
@Service
class TemplateUploads {

	private static final Logger log = LoggerFactory.getLogger(TemplateUploads.class);

	private final VeEngine engine;

	private final TemplateBuilds builds;

	private final Path folder;

	private final long maxBytes;

	TemplateUploads(@Lazy VeEngine engine, TemplateBuilds builds,
			@Value("${cairn.data-dir:/var/lib/cairn}") Path dataDir,
			@Value("${cairn.templates.max-size:8GB}") DataSize maxSize) {
		this.engine = engine;
		this.builds = builds;
		this.folder = dataDir.resolve("uploads");
		this.maxBytes = maxSize.toBytes();
	}

	/**
	 * Archives a panel that stopped mid-upload or mid-import left behind: no import of an earlier run goes on,
	 * so they are only taking the node's disk.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void removeLeftovers() {
		if (!Files.isDirectory(folder)) {
			return;
		}
		try (var files = Files.list(folder)) {
			for (Path leftover : files.filter(f -> f.getFileName().toString().endsWith(".upload")).toList()) {
				long bytes = Files.size(leftover);
				Files.deleteIfExists(leftover);
				log.info("Removed {} ({} bytes), an upload the panel's last run did not finish", leftover, bytes);
			}
		}
		catch (IOException ex) {
			log.warn("Cannot remove what earlier uploads left in {}: {}", folder, ex.getMessage());
		}
	}

	/** Checked before the body is read: a bad name or a taken one costs no upload. */
	void check(String name) {
		try {
			TemplateImport.checkName(name);
		}
		catch (EngineException ex) {
			throw new TemplateException("name", ex.getMessage().replaceFirst("^template: ", ""));
		}
		if (engine.templateBuilders().contains(name)) {
			throw new TemplateException("name", name + " is the name of a template Cairn builds; choose another");
		}
		if (engine.templates().stream().anyMatch(t -> t.name().equals(name))) {
			throw new TemplateInUseException("there is a template named " + name + "; delete it first");
		}
	}

	TemplateBuild receive(String name, InputStream body, String who) {
		check(name);
		Path file;
		try {
			Files.createDirectories(folder);
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
			file = Files.createTempFile(folder, name + "-", ".upload");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot store an upload in " + folder + ": " + ex.getMessage(), ex);
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			byte[] buffer = new byte[1 << 16];
			long total = 0;
			for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
				total += n;
				if (total > maxBytes) {
					throw new TemplateTooLargeException(maxBytes);
				}
				out.write(buffer, 0, n);
			}
			if (total == 0) {
				throw new TemplateException("archive", "send the archive as the request's body");
			}
		}
		catch (IOException | RuntimeException ex) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ignored) {
				// the upload folder is the panel's own; a leftover is removed at its next start
			}
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new TemplateException("archive", "the upload broke off: " + ex.getMessage());
		}
		return builds.startImport(name, file, maxBytes, who);
	}

	/** Over cairn.templates.max-size: 413. */
	static final class TemplateTooLargeException extends TemplateException {

		TemplateTooLargeException(long maxBytes) {
			super("archive", "the archive is larger than " + DataSize.ofBytes(maxBytes).toMegabytes()
					+ " MB (cairn.templates.max-size)");
		}

		@Override
		public org.springframework.http.HttpStatus status() {
			return org.springframework.http.HttpStatus.CONTENT_TOO_LARGE;
		}
	}
}
