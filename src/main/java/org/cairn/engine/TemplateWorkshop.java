// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cairn.engine.template.BusyboxTemplateBuilder;
import org.cairn.engine.template.DebianTemplateBuilder;
import org.cairn.engine.template.Template;
import org.cairn.engine.template.TemplateImport;
import org.cairn.engine.template.TemplateStore;

/** The engine's templates: built by Cairn's builders, imported from an admin's archive, deleted when unused. */
final class TemplateWorkshop {

	private final TemplateStore templates;

	private final VeLocks locks;

	private final String debianMirror;

	private final Duration lockWait;

	TemplateWorkshop(TemplateStore templates, VeLocks locks, String debianMirror, Duration lockWait) {
		this.templates = templates;
		this.locks = locks;
		this.debianMirror = debianMirror;
		this.lockWait = lockWait;
	}

	static List<String> builders() {
		List<String> names = new ArrayList<>(List.of(BusyboxTemplateBuilder.NAME));
		DebianTemplateBuilder.RELEASES.forEach(release -> names.add(release.name()));
		return List.copyOf(names);
	}

	Template build(String name, Consumer<String> progress) {
		try (var lock = locks.acquire(".template-" + name, lockWait)) {
			if (name.equals(BusyboxTemplateBuilder.NAME)) {
				return new BusyboxTemplateBuilder(templates, progress).build();
			}
			return DebianTemplateBuilder.release(name)
				.map(release -> new DebianTemplateBuilder(templates, debianMirror, release, progress).build())
				.orElseThrow(() -> new EngineException("template: no builder for '" + name + "'; known: "
						+ String.join(", ", builders())));
		}
	}

	Template importArchive(String name, Path archive, long maxBytes, String from, Consumer<String> progress) {
		TemplateImport.checkName(name);
		if (builders().contains(name)) {
			throw new EngineException("template: " + name + " is the name of a template Cairn builds; choose another");
		}
		try (var lock = locks.acquire(".template-" + name, lockWait)) {
			return new TemplateImport(templates, maxBytes, progress).run(name, archive, from);
		}
	}

	void export(String name, Path archive) {
		try (var lock = locks.acquire(".template-" + name, lockWait)) {
			org.cairn.engine.template.TemplateExport.write(templates.get(name), archive);
		}
	}

	/**
	 * Deletes a template no VE uses.
	 * @param engineLock the engine's lock, so that no VE is made from it meanwhile
	 * @param users the VEs, with their templates, read under that lock
	 */
	void delete(String name, Supplier<VeLocks.Held> engineLock, Supplier<List<VeStatus>> users) {
		templates.get(name);
		try (var lock = locks.acquire(".template-" + name, lockWait); var all = engineLock.get()) {
			List<String> using = users.get().stream().filter(ve -> ve.template().equals(name)).map(VeStatus::name).toList();
			if (!using.isEmpty()) {
				throw new EngineException("template: " + name + " is used by " + String.join(", ", using)
						+ "; it can be deleted once no VE uses it");
			}
			templates.delete(name);
		}
	}
}
