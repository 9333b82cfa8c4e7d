// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.cairn.engine.EngineException;

/** The templates under {@code ROOT/templates/NAME/{rootfs,template.properties}}. */
public final class TemplateStore {

	private final Path dir;

	public TemplateStore(Path root) {
		this.dir = root.resolve("templates");
	}

	public List<Template> list() {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		List<Template> templates = new ArrayList<>();
		try (Stream<Path> entries = Files.list(dir)) {
			for (Path entry : entries.sorted().toList()) {
				String name = entry.getFileName().toString();
				// a template being replaced or deleted (".busybox-old-...") is no template to offer
				if (TemplateImport.NAME.matcher(name).matches()) {
					find(name).ifPresent(templates::add);
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + dir + ": " + ex.getMessage(), ex);
		}
		return templates;
	}

	public Optional<Template> find(String name) {
		Path properties = dir.resolve(name).resolve("template.properties");
		if (!Files.isRegularFile(properties)) {
			return Optional.empty();
		}
		Properties p = new Properties();
		try (Reader in = Files.newBufferedReader(properties)) {
			p.load(in);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + properties + ": " + ex.getMessage(), ex);
		}
		// templates built before init-system was recorded: sysvinit's stop signal tells them apart
		String initSystem = p.getProperty("init-system",
				p.getProperty("stop-signal", "").equals("30") ? "sysvinit" : "busybox");
		return Optional.of(new Template(name, dir.resolve(name).resolve("rootfs"),
				Arrays.asList(p.getProperty("init", "/sbin/init").split(" ")), InitSystem.of(initSystem),
				p.getProperty("description", name)));
	}

	public Template get(String name) {
		return find(name).orElseThrow(() -> new EngineException.NotFound(
				"template: no template named '" + name + "'; build it with 'cairn template build " + name + "'"));
	}

	/** Removes a template (no VE may use it: the caller checks); a no-op when there is none. */
	public void delete(String name) {
		Path target = dir.resolve(name);
		if (!Files.exists(target)) {
			return;
		}
		try {
			// out of the list in one step, then removed
			Path gone = dir.resolve("." + name + "-deleted-" + System.nanoTime());
			Files.move(target, gone);
			org.cairn.engine.Trees.delete(gone);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot delete the template " + name + ": " + ex.getMessage(), ex);
		}
	}

	/** Where a template is built before it is moved into place in one step. */
	Path staging(String name) throws IOException {
		Files.createDirectories(dir);
		return Files.createTempDirectory(dir, "." + name + "-building-");
	}

	/** Makes a staged build the template, replacing an older build of the same name. */
	Template publish(String name, Path staged, Template template) throws IOException {
		Properties p = new Properties();
		p.setProperty("init", String.join(" ", template.init()));
		p.setProperty("init-system", template.initSystem().label());
		p.setProperty("description", template.description());
		try (Writer out = Files.newBufferedWriter(staged.resolve("template.properties"))) {
			p.store(out, "Cairn template");
		}
		Path target = dir.resolve(name);
		Path old = null;
		if (Files.exists(target)) {
			// VEs keep using the old tree until they restart: keep it aside, not deleted under them
			old = dir.resolve("." + name + "-old-" + System.currentTimeMillis());
			Files.move(target, old);
		}
		Files.move(staged, target);
		return get(name);
	}
}
