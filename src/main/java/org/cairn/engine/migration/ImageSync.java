// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.luben.zstd.Zstd;

/**
 * A disk image copied to another node in chunks of 1 MiB, as rsync copies a file but with the two sides' digests
 * compared by chunk index (an image's blocks do not move): the source reads the chunks that hold data (its holes
 * cost nothing), hashes them on every core, and sends those the copy lacks, zstd-compressed. The copy checks each
 * chunk against its digest as it writes it, keeps its holes, and notes each chunk written in a journal beside it:
 * a transfer cut short is taken up where it stopped, and a second pass after the VE stopped sends what changed
 * during the first.
 *
 * <p>The stream: {@code int MAGIC, long size}, then per chunk {@code 'D' int index, int length, byte[32] sha256,
 * int compressedLength, bytes} or {@code 'H' int index} (now a hole), then {@code 'E'}.
 */
public final class ImageSync {

	public static final int CHUNK = 1 << 20;

	private static final int MAGIC = 0x43494d31;

	private static final int PAGE = 4096;

	private static final HexFormat HEX = HexFormat.of();

	private ImageSync() {
	}

	/** What changed since {@code have}: the chunks to send. */
	public record Plan(long chunks, long bytes) {
	}

	/**
	 * Writes to {@code out} what the copy described by {@code have} lacks of {@code image}. Returns how many chunks
	 * and how many (compressed) bytes were sent.
	 */
	public static Plan send(Path image, ImageChunks have, OutputStream out) throws IOException {
		long size = Files.size(image);
		BitSet data = SparseFiles.dataChunks(image, size, CHUNK);
		DataOutputStream stream = new DataOutputStream(out);
		stream.writeInt(MAGIC);
		stream.writeLong(size);
		long sent = 0;
		long bytes = 0;
		int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
		ExecutorService workers = Executors.newFixedThreadPool(threads,
				Thread.ofPlatform().name("image-send").daemon().factory());
		try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
			// chunks are read, hashed and compressed on every core, and written in order
			Queue<Future<byte[]>> window = new ArrayDeque<>();
			for (int index = data.nextSetBit(0); index >= 0 || !window.isEmpty();) {
				while (index >= 0 && window.size() < threads * 4) {
					int chunk = index;
					window.add(workers.submit(() -> encode(file, chunk, size, have.digests().get(chunk))));
					index = data.nextSetBit(index + 1);
				}
				byte[] record = window.remove().get();
				if (record.length > 0) {
					stream.write(record);
					sent++;
					bytes += record.length;
				}
			}
			// chunks the copy has that are holes here now (trimmed, or past a shrunk end)
			for (int index : have.digests().keySet()) {
				if (!data.get(index)) {
					stream.writeByte('H');
					stream.writeInt(index);
				}
			}
			stream.writeByte('E');
			stream.flush();
			return new Plan(sent, bytes);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof IOException io ? io : new IOException(ex.getCause().toString(), ex);
		}
		finally {
			workers.shutdownNow();
		}
	}

	/** The chunk's record, or nothing when the copy has it already. */
	private static byte[] encode(FileChannel file, int index, long size, String theirs) throws IOException {
		long offset = (long) index * CHUNK;
		int length = (int) Math.min(CHUNK, size - offset);
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining()) {
			if (file.read(buffer, offset + buffer.position()) < 0) {
				break; // the file shrank meanwhile: the rest reads as zeros, and the next pass corrects it
			}
		}
		byte[] raw = buffer.array();
		byte[] digest = sha256(raw);
		if (HEX.formatHex(digest).equals(theirs)) {
			return new byte[0];
		}
		byte[] compressed = Zstd.compress(raw, 1);
		ByteBuffer record = ByteBuffer.allocate(1 + 4 + 4 + 32 + 4 + compressed.length);
		record.put((byte) 'D').putInt(index).putInt(length).put(digest).putInt(compressed.length).put(compressed);
		return record.array();
	}

	/**
	 * What the copy at {@code image} holds: from its journal (what {@link #apply} wrote), or, for a copy without
	 * one, nothing.
	 */
	public static ImageChunks copied(Path image) throws IOException {
		Path journal = journal(image);
		Map<Integer, String> digests = new HashMap<>();
		long size = 0;
		try {
			for (String line : Files.readAllLines(journal)) {
				String[] fields = line.split(" ");
				if (fields.length != 2) {
					continue; // a line cut short by a crash: its chunk is sent again
				}
				if (fields[0].equals("size")) {
					size = Long.parseLong(fields[1]);
				}
				else if (fields[1].equals("-")) {
					digests.remove(Integer.parseInt(fields[0]));
				}
				else if (fields[1].length() == 64) {
					digests.put(Integer.parseInt(fields[0]), fields[1]);
				}
			}
		}
		catch (NoSuchFileException ex) {
			return ImageChunks.NONE;
		}
		return new ImageChunks(size, digests);
	}

	/**
	 * Applies a stream of {@link #send} to the copy at {@code image} (made if missing), checking each chunk's
	 * digest. What was applied before a failure stays, noted in the journal.
	 */
	public static void apply(Path image, InputStream in) throws IOException {
		DataInputStream stream = new DataInputStream(in);
		if (stream.readInt() != MAGIC) {
			throw new IOException("not a disk image stream");
		}
		long size = stream.readLong();
		if (size < 0) {
			throw new IOException("a disk image of " + size + " bytes");
		}
		if (!Files.exists(image)) {
			Files.createFile(image);
		}
		try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE);
				SparseFiles.Puncher puncher = new SparseFiles.Puncher(image);
				BufferedWriter journal = Files.newBufferedWriter(journal(image), StandardOpenOption.CREATE,
						StandardOpenOption.APPEND)) {
			if (file.size() < size) {
				// grown, as a hole: writes past the end would do the same, the size must be right before the end
				file.write(ByteBuffer.allocate(1), size - 1);
				puncher.punch(size - 1, 1);
			}
			int written = 0;
			while (true) {
				int tag;
				try {
					tag = stream.readByte();
				}
				catch (EOFException ex) {
					throw new IOException("the disk image stream ended before its end", ex);
				}
				if (tag == 'E') {
					break;
				}
				int index = stream.readInt();
				long offset = (long) index * CHUNK;
				if (index < 0 || offset >= Math.max(size, file.size())) {
					throw new IOException("chunk " + index + " is outside a disk image of " + size + " bytes");
				}
				if (tag == 'H') {
					puncher.punch(offset, CHUNK);
					journal.write(index + " -\n");
					continue;
				}
				if (tag != 'D') {
					throw new IOException("not a disk image stream (record " + tag + ")");
				}
				int length = stream.readInt();
				byte[] digest = stream.readNBytes(32);
				int compressedLength = stream.readInt();
				if (length <= 0 || length > CHUNK || compressedLength < 0 || compressedLength > 2 * CHUNK) {
					throw new IOException("chunk " + index + " has a length of " + length);
				}
				byte[] raw = Zstd.decompress(stream.readNBytes(compressedLength), length);
				if (raw.length != length || !MessageDigest.isEqual(sha256(raw), digest)) {
					throw new IOException("chunk " + index + " arrived damaged (its SHA-256 differs)");
				}
				write(file, puncher, offset, raw);
				journal.write(index + " " + HEX.formatHex(digest) + "\n");
				if (++written % 64 == 0) {
					journal.flush();
				}
			}
			if (file.size() > size) {
				file.truncate(size);
			}
			file.force(false);
			journal.write("size " + size + "\n");
			journal.flush();
		}
	}

	/** Writes a chunk keeping its zero pages holes: a copied disk takes no more space than the original. */
	private static void write(FileChannel file, SparseFiles.Puncher puncher, long offset, byte[] raw)
			throws IOException {
		puncher.punch(offset, CHUNK);
		int start = -1;
		for (int page = 0; page <= raw.length; page += PAGE) {
			boolean zero = page == raw.length || isZero(raw, page, Math.min(PAGE, raw.length - page));
			if (!zero && start < 0) {
				start = page;
			}
			else if (zero && start >= 0) {
				ByteBuffer run = ByteBuffer.wrap(raw, start, page - start);
				while (run.hasRemaining()) {
					file.write(run, offset + run.position());
				}
				start = -1;
			}
		}
	}

	private static boolean isZero(byte[] raw, int from, int length) {
		for (int i = from; i < from + length; i++) {
			if (raw[i] != 0) {
				return false;
			}
		}
		return true;
	}

	/** Forgets what was copied: the journal goes (when the copy becomes the VE's disk). */
	public static void forget(Path image) throws IOException {
		Files.deleteIfExists(journal(image));
	}

	private static Path journal(Path image) {
		return image.resolveSibling(image.getFileName() + ".chunks");
	}

	static byte[] sha256(byte[] raw) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(raw);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
