// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.cairn.engine.template.InitSystem;
import org.cairn.engine.template.Template;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Templates of an admin's own: root file system archives in every compression and OCI image archives with layers,
 * run as VEs; archives that would put anything outside the template, or anything a VE should not hold, refused
 * with the reason and leaving nothing behind.
 */
class TemplateImportTests extends EngineTest {

	private static final long MAX = 256L << 20;

	private Path rootfs() {
		return test.settings.root().resolve("templates/busybox/rootfs");
	}

	/** The busybox template's files as tar entries, then {@code extra}. */
	private byte[] tar(Consumer<TarArchiveOutputStream> extra) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
			out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			Path root = rootfs();
			try (Stream<Path> files = Files.walk(root)) {
				for (Path file : files.sorted().toList()) {
					String name = root.relativize(file).toString();
					if (name.isEmpty()) {
						continue;
					}
					TarArchiveEntry entry;
					if (Files.isSymbolicLink(file)) {
						entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
						entry.setLinkName(Files.readSymbolicLink(file).toString());
					}
					else {
						entry = new TarArchiveEntry(file.toFile(), name);
					}
					entry.setMode((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS));
					entry.setUserId(0);
					entry.setGroupId(0);
					out.putArchiveEntry(entry);
					if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
						Files.copy(file, out);
					}
					out.closeArchiveEntry();
				}
			}
			extra.accept(out);
		}
		return bytes.toByteArray();
	}

	private static void file(TarArchiveOutputStream out, String name, String content, int mode, int uid) {
		try {
			byte[] data = content.getBytes(StandardCharsets.UTF_8);
			TarArchiveEntry entry = new TarArchiveEntry(name, true);
			entry.setSize(data.length);
			entry.setMode(mode);
			entry.setUserId(uid);
			entry.setGroupId(uid);
			out.putArchiveEntry(entry);
			out.write(data);
			out.closeArchiveEntry();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	private static void special(TarArchiveOutputStream out, String name, byte type, String link) {
		try {
			TarArchiveEntry entry = new TarArchiveEntry(name, type);
			if (link != null) {
				entry.setLinkName(link);
			}
			out.putArchiveEntry(entry);
			out.closeArchiveEntry();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	private Path write(String name, byte[] data) throws IOException {
		return Files.write(test.settings.root().resolve(name), data);
	}

	private static byte[] compress(byte[] data, String kind) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (OutputStream out = switch (kind) {
			case "gz" -> new GzipCompressorOutputStream(bytes);
			case "xz" -> new XZCompressorOutputStream(bytes);
			case "zst" -> new ZstdCompressorOutputStream(bytes);
			default -> bytes;
		}) {
			out.write(data);
		}
		return bytes.toByteArray();
	}

	@Test
	void rootFileSystemArchivesInEveryCompressionBecomeTemplatesVesRun() throws Exception {
		byte[] tar = tar(out -> {
			file(out, "usr/local/bin/setuid-tool", "#!/bin/sh\necho tool\n", 04755, 0);
			file(out, "home/web/index.html", "hello\n", 0644, 1000);
		});
		for (String kind : List.of("tar", "gz", "xz", "zst")) {
			String name = "mine-" + kind;
			Path archive = write("archive." + kind, compress(tar, kind));
			Template template = engine.importTemplate(name, archive, MAX, "archive." + kind, line -> {
			});
			assertThat(template.initSystem()).isEqualTo(InitSystem.BUSYBOX);
			assertThat(template.description()).startsWith("Imported from archive." + kind);
		}
		engine.create(new VeSpec("imported", "mine-zst", null));
		engine.start("imported");
		assertThat(test.sh("imported", "stat -c '%a %u' /usr/local/bin/setuid-tool; stat -c '%u %g' /home/web/index.html;"
				+ " cat /home/web/index.html").output()).as("setuid bits and owners kept").isEqualTo("4755 0\n1000 1000\nhello\n");
		assertThatThrownBy(() -> engine.deleteTemplate("mine-zst")).hasMessageContaining("used by imported");
		engine.destroy("imported");
		engine.deleteTemplate("mine-zst");
		assertThat(engine.templates()).extracting(Template::name).doesNotContain("mine-zst").contains("mine-gz");
		assertThatThrownBy(() -> engine.importTemplate("mine-gz", write("again.tar", tar), MAX, "again.tar", l -> {
		})).hasMessageContaining("there is a template named mine-gz");
		assertThatThrownBy(() -> engine.importTemplate("busybox", write("again.tar", tar), MAX, "again.tar", l -> {
		})).hasMessageContaining("a template Cairn builds");
		assertThatThrownBy(() -> engine.importTemplate("Bad Name", write("again.tar", tar), MAX, "again.tar", l -> {
		})).hasMessageStartingWith("template: 'Bad Name'");
	}

	@Test
	void anOciImageArchiveIsAppliedLayerByLayer() throws Exception {
		byte[] base = compress(tar(out -> {
		}), "gz");
		ByteArrayOutputStream top = new ByteArrayOutputStream();
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(top)) {
			file(out, "etc/.wh.profile", "", 0644, 0);
			file(out, "etc/init.d/.wh..wh..opq", "", 0644, 0);
			file(out, "etc/init.d/rcS", "#!/bin/sh\necho from the top layer\n", 0755, 0);
			file(out, "srv/added.txt", "added\n", 0644, 0);
		}
		byte[] layer = compress(top.toByteArray(), "zst");
		String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
		String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				+ "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config)
				+ "\",\"size\":" + config.length() + "},\"layers\":[" + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
				+ "\"digest\":\"" + digest(base) + "\",\"size\":" + base.length + "},"
				+ "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" + digest(layer)
				+ "\",\"size\":" + layer.length + "}]}";
		String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				+ "\"digest\":\"" + digest(manifest) + "\",\"size\":" + manifest.length()
				+ ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
		ByteArrayOutputStream image = new ByteArrayOutputStream();
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(image)) {
			file(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 0644, 0);
			file(out, "index.json", index, 0644, 0);
			for (byte[] blob : List.of(config.getBytes(StandardCharsets.UTF_8), manifest.getBytes(StandardCharsets.UTF_8),
					base, layer)) {
				TarArchiveEntry entry = new TarArchiveEntry("blobs/sha256/" + digest(blob).substring(7));
				entry.setSize(blob.length);
				out.putArchiveEntry(entry);
				out.write(blob);
				out.closeArchiveEntry();
			}
		}
		Template template = engine.importTemplate("oci-box", write("image.tar", image.toByteArray()), MAX, "image.tar",
				line -> {
				});
		assertThat(template.description()).contains("OCI image").contains("busybox");
		engine.create(new VeSpec("layered", "oci-box", null));
		engine.start("layered");
		assertThat(test.sh("layered", "cat /srv/added.txt; ls /etc/init.d; test -e /etc/profile || echo whited-out")
			.output()).isEqualTo("added\nrcS\nwhited-out\n");
		assertThat(engine.console("layered", List.of("true"), 24, 80)).isNotNull();
	}

	private static String digest(String text) throws Exception {
		return digest(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String digest(byte[] data) throws Exception {
		return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	@Test
	void archivesThatReachOutOrHoldDevicesAreRefusedAndLeaveNothing() throws Exception {
		Path hostEtc = Path.of("/etc/cairn-import-test-" + ProcessHandle.current().pid());
		record Bad(String why, Consumer<TarArchiveOutputStream> entries) {
		}
		List<Bad> bad = List.of(
				new Bad("is an absolute path", out -> file(out, "/etc/evil", "x", 0644, 0)),
				new Bad("climbs out with '..'", out -> file(out, "../evil", "x", 0644, 0)),
				new Bad("device node /dev/sda", out -> special(out, "dev/sda", TarConstants.LF_BLK, null)),
				new Bad("the FIFO /run/pipe", out -> special(out, "run/pipe", TarConstants.LF_FIFO, null)),
				new Bad("through the symlink /escape", out -> {
					special(out, "escape", TarConstants.LF_SYMLINK, "/etc");
					file(out, "escape/" + hostEtc.getFileName(), "x", 0644, 0);
				}),
				new Bad("leads out of the template", out -> special(out, "var/up", TarConstants.LF_SYMLINK, "../../../etc")),
				new Bad("no file of the archive", out -> special(out, "root/shadow", TarConstants.LF_LINK, "etc/no-such")),
				new Bad("larger than 1 MB", out -> file(out, "root/big", "x".repeat(3 << 20), 0644, 0)));
		for (Bad archive : bad) {
			byte[] tar = tar(archive.entries());
			assertThatThrownBy(() -> engine.importTemplate("bad", write("bad.tar", tar), archive.why().contains("1 MB")
					? 1L << 20 : MAX, "bad.tar", line -> {
					}))
				.as(archive.why())
				.hasMessageStartingWith("template: the archive is refused: ")
				.hasMessageContaining(archive.why());
		}
		assertThatThrownBy(() -> engine.importTemplate("bad", write("noise.bin", new byte[4096]), MAX, "noise.bin", l -> {
		})).hasMessageContaining("not a tar archive");
		ByteArrayOutputStream empty = new ByteArrayOutputStream();
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(empty)) {
			file(out, "etc/hostname", "x\n", 0644, 0);
		}
		assertThatThrownBy(() -> engine.importTemplate("bad", write("noinit.tar", empty.toByteArray()), MAX, "noinit.tar",
				l -> {
				})).hasMessageContaining("no /sbin/init");
		assertThat(hostEtc).as("nothing written on the node").doesNotExist();
		assertThat(engine.templates()).extracting(Template::name).containsExactly("busybox");
		try (Stream<Path> left = Files.list(test.settings.root().resolve("templates"))) {
			assertThat(left.map(p -> p.getFileName().toString())).as("no staging left").containsExactly("busybox");
		}
	}
}
