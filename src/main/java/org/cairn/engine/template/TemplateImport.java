// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.cairn.engine.EngineException;
import org.cairn.engine.Trees;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A template from an admin's archive: a root file system as a tar ({@code .tar}, {@code .tar.gz}, {@code .tar.xz},
 * {@code .tar.zst}), or an OCI image archive (an {@code oci-layout} tar, as {@code podman save --format oci-archive}
 * or {@code skopeo copy} write it), whose layers are applied in order. The archive is checked as it is written
 * ({@link LayerWriter}); a refused or broken one leaves nothing behind. The template boots the init it holds:
 * systemd, busybox or SysV init, found from {@code /sbin/init}.
 */
public final class TemplateImport {

	public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,31}$");

	private static final ObjectMapper JSON = new ObjectMapper();

	private final TemplateStore store;

	private final long maxBytes;

	private final Consumer<String> progress;

	public TemplateImport(TemplateStore store, long maxBytes, Consumer<String> progress) {
		this.store = store;
		this.maxBytes = maxBytes;
		this.progress = progress;
	}

	public static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new EngineException("template: '" + name + "' is not a template name (up to 32 lowercase letters,"
					+ " digits, '.' and '-')");
		}
	}

	public Template run(String name, Path archive, String from) {
		checkName(name);
		if (store.find(name).isPresent()) {
			throw new EngineException("template: there is a template named " + name + "; delete it first");
		}
		if (!Files.isRegularFile(archive)) {
			throw new EngineException("template: " + archive + " is not a file");
		}
		Path staged = null;
		try {
			staged = store.staging(name);
			Path rootfs = Files.createDirectory(staged.resolve("rootfs"));
			LayerWriter writer = new LayerWriter(rootfs, maxBytes);
			boolean image = isOciArchive(archive);
			if (image) {
				progress.accept("an OCI image archive: applying its layers");
				applyImage(archive, staged, writer);
			}
			else {
				progress.accept("a root file system archive: writing its files");
				try (InputStream tar = decompressed(archive)) {
					writer.apply(tar, false);
				}
			}
			InitSystem init = initOf(rootfs).orElseThrow(() -> LayerWriter.refused(
					"it has no /sbin/init: a VE boots its own init (systemd, SysV init or busybox)"));
			progress.accept("found " + init.label() + "; " + (writer.bytes() >> 20) + " MB of files");
			String description = "Imported from " + from + " (" + (image ? "OCI image, " : "") + init.label() + ", "
					+ Math.max(1, writer.bytes() >> 20) + " MB)";
			return store.publish(name, staged, new Template(name, rootfs, List.of("/sbin/init"), init, description));
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof EngineException engine) {
				throw engine;
			}
			throw LayerWriter.refused(ex.getMessage() == null ? ex.toString() : ex.getMessage());
		}
		finally {
			if (staged != null && Files.exists(staged)) {
				Trees.delete(staged);
			}
		}
	}

	/** The archive's tar stream, decompressed by what its first bytes say it is. */
	static InputStream decompressed(Path archive) throws IOException {
		InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
		return decompressed(in);
	}

	private static InputStream decompressed(InputStream raw) throws IOException {
		InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 1 << 16);
		in.mark(512);
		byte[] head = in.readNBytes(512);
		in.reset();
		if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
			return new GzipCompressorInputStream(in, true);
		}
		if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X') {
			return new XZCompressorInputStream(in, true);
		}
		if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
				&& (head[3] & 0xff) == 0xfd) {
			return new ZstdCompressorInputStream(in);
		}
		if (head.length == 512 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
			return in;
		}
		in.close();
		throw LayerWriter.refused("it is not a tar archive (.tar, .tar.gz, .tar.xz, .tar.zst) or an OCI image archive");
	}

	/** An OCI image archive: a tar with oci-layout and index.json at its top. */
	private static boolean isOciArchive(Path archive) throws IOException {
		try (InputStream tar = decompressed(archive)) {
			TarArchiveInputStream in = new TarArchiveInputStream(tar);
			int seen = 0;
			for (TarArchiveEntry entry = in.getNextEntry(); entry != null && seen < 64; entry = in.getNextEntry()) {
				String name = entry.getName().replaceFirst("^\\./", "");
				if (name.equals("oci-layout")) {
					return true;
				}
				seen++;
			}
			return false;
		}
	}

	/** The image's blobs are unpacked next to the root file system, then its layers applied in order. */
	private void applyImage(Path archive, Path staged, LayerWriter writer) throws IOException {
		Path image = Files.createDirectory(staged.resolve("image"));
		long blobBytes = 0;
		try (InputStream tar = decompressed(archive)) {
			TarArchiveInputStream in = new TarArchiveInputStream(tar);
			for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				String name = entry.getName().replaceFirst("^\\./", "");
				if (!entry.isFile()) {
					continue;
				}
				boolean blob = name.matches("blobs/sha256/[0-9a-f]{64}");
				if (!blob && !name.equals("index.json") && !name.equals("oci-layout")) {
					continue;
				}
				blobBytes += entry.getSize();
				if (blobBytes > maxBytes) {
					throw LayerWriter.refused("its blobs are larger than " + (maxBytes >> 20) + " MB (cairn.templates.max-size)");
				}
				Path file = image.resolve(blob ? name.substring("blobs/sha256/".length()) : name);
				Files.copy(in, file);
			}
		}
		JsonNode manifest = manifest(image, read(image, image.resolve("index.json")), 0);
		JsonNode layers = manifest.path("layers");
		if (!layers.isArray() || layers.isEmpty()) {
			throw LayerWriter.refused("its image manifest lists no layers");
		}
		int n = 0;
		for (JsonNode layer : layers) {
			String digest = layer.path("digest").asString();
			Path blob = blob(image, digest);
			progress.accept("layer " + (++n) + " of " + layers.size() + ": " + digest);
			MessageDigest sha256 = sha256();
			// unbuffered below the digest: the format sniffing's mark and reset happen above it
			try (InputStream raw = new DigestInputStream(Files.newInputStream(blob), sha256);
					InputStream tar = decompressed(raw)) {
				writer.apply(tar, true);
				raw.transferTo(java.io.OutputStream.nullOutputStream());
			}
			if (!("sha256:" + HexFormat.of().formatHex(sha256.digest())).equals(digest)) {
				throw LayerWriter.refused("its layer " + digest + " does not match its digest");
			}
		}
		Trees.delete(image);
	}

	/** The image manifest an index points at (for this machine's architecture when it lists several). */
	private static JsonNode manifest(Path image, JsonNode index, int depth) throws IOException {
		if (depth > 3) {
			throw LayerWriter.refused("its indexes nest too deep");
		}
		JsonNode chosen = null;
		for (JsonNode entry : index.path("manifests")) {
			String arch = entry.path("platform").path("architecture").asString("");
			if (arch.isEmpty() || arch.equals("amd64")) {
				chosen = entry;
				break;
			}
		}
		if (chosen == null) {
			throw LayerWriter.refused("its index lists no image for amd64");
		}
		JsonNode next = read(image, blob(image, chosen.path("digest").asString()));
		return next.has("manifests") ? manifest(image, next, depth + 1) : next;
	}

	private static Path blob(Path image, String digest) {
		if (!digest.matches("sha256:[0-9a-f]{64}")) {
			throw LayerWriter.refused("it names the blob '" + digest + "', not a sha256 digest");
		}
		Path blob = image.resolve(digest.substring("sha256:".length()));
		if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
			throw LayerWriter.refused("its blob " + digest + " is missing");
		}
		return blob;
	}

	private static JsonNode read(Path image, Path file) throws IOException {
		if (!Files.isRegularFile(file) || Files.size(file) > (4 << 20)) {
			throw LayerWriter.refused(image.relativize(file) + " is missing or too large");
		}
		try {
			return JSON.readTree(Files.readString(file));
		}
		catch (RuntimeException ex) {
			throw LayerWriter.refused(image.relativize(file) + " is not JSON: " + ex.getMessage());
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What /sbin/init is, its links followed inside the root file system (never on the node). */
	static Optional<InitSystem> initOf(Path rootfs) throws IOException {
		Optional<Path> init = resolveInside(rootfs, "sbin/init", 0);
		if (init.isEmpty() || !Files.isRegularFile(init.get(), LinkOption.NOFOLLOW_LINKS)) {
			return Optional.empty();
		}
		String file = init.get().getFileName().toString();
		if (file.equals("systemd")) {
			return Optional.of(InitSystem.SYSTEMD);
		}
		if (file.equals("busybox")) {
			return Optional.of(InitSystem.BUSYBOX);
		}
		return Optional.of(InitSystem.SYSVINIT);
	}

	private static Optional<Path> resolveInside(Path rootfs, String relative, int hops) throws IOException {
		if (hops > 40) {
			return Optional.empty();
		}
		Path current = rootfs;
		String[] segments = relative.split("/");
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				current = current.equals(rootfs) ? rootfs : current.getParent();
				continue;
			}
			Path next = current.resolve(segment);
			if (Files.isSymbolicLink(next)) {
				String target = Files.readSymbolicLink(next).toString();
				String rest = String.join("/", java.util.Arrays.asList(segments).subList(i + 1, segments.length));
				String base = target.startsWith("/") ? "" : rootfs.relativize(current).toString();
				String joined = (base.isEmpty() ? "" : base + "/") + target.replaceFirst("^/+", "") + (rest.isEmpty() ? "" : "/" + rest);
				return resolveInside(rootfs, joined, hops + 1);
			}
			if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
				return Optional.empty();
			}
			current = next;
		}
		return Optional.of(current);
	}
}
