package io.github.audiosetdl.core.pack;

import io.github.audiosetdl.core.Segment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code YT_<id>.wav} under a downloads folder, as a sorted table of 11-byte ids and folder
 * numbers (about 15 bytes per file, so 2M files cost some 30 MB), looked up by binary search. Other
 * names (temporary files, logs) are ignored. When an id is in several folders the first folder in
 * name order wins; the others are listed as duplicates.
 *
 * <p>Symbolic links are followed, to folders and to files, as the seed's {@code glob} followed them; a link
 * that loops back is skipped with a warning. An entry that disappears during the scan (a download running
 * beside the pack renames its temporary files) is ignored; any other unreadable entry fails the scan. An
 * interrupt stops the scan (millions of files on a network file system take minutes). The scan also digests the
 * files' paths, sizes and modification times ({@link #listingDigest()}), in constant memory.
 */
final class WavIndex {
    private static final Logger LOG = LoggerFactory.getLogger(WavIndex.class);
    private static final String PREFIX = "YT_";
    private static final String SUFFIX = ".wav";

    private final List<Path> folders;
    private final byte[] ids;
    private final int[] folderOf;
    private final int size;
    private final List<Path> duplicates;
    private final ListingDigest listing;

    private WavIndex(List<Path> folders, byte[] ids, int[] folderOf, int size, List<Path> duplicates,
            ListingDigest listing) {
        this.folders = folders;
        this.ids = ids;
        this.folderOf = folderOf;
        this.size = size;
        this.duplicates = duplicates;
        this.listing = listing;
    }

    /**
     * @param root the downloads folder
     * @return the index of the clips under it
     * @throws IOException if it is not a folder or an entry cannot be read
     * @throws InterruptedIOException if the thread is interrupted (checked at each entry; the flag is kept)
     */
    static WavIndex scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw Files.exists(root) ? new NotDirectoryException(root + " (the downloads folder)")
                    : new NoSuchFileException(root.toString(), null, "no such downloads folder");
        }
        List<Path> folders = new ArrayList<>();
        Map<Path, Integer> folderIds = new HashMap<>();
        byte[][] ids = {new byte[Segment.ID_LENGTH * 1024]};
        int[][] folderOf = {new int[1024]};
        int[] count = {0};
        ListingDigest listing = new ListingDigest();
        FileVisitor<Path> visitor = new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                if (e instanceof FileSystemLoopException) {
                    LOG.warn("pack: skipping {}: a link back to a folder above it", file);
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("pack: scanning " + root + " interrupted at " + file);
                }
                String name = file.getFileName().toString();
                if (!attrs.isRegularFile() || name.length() != PREFIX.length() + Segment.ID_LENGTH + SUFFIX.length()
                        || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
                    return FileVisitResult.CONTINUE;
                }
                String id = name.substring(PREFIX.length(), PREFIX.length() + Segment.ID_LENGTH);
                if (!Segment.isValidId(id)) {
                    return FileVisitResult.CONTINUE;
                }
                int n = count[0];
                if (n == folderOf[0].length) {
                    folderOf[0] = Arrays.copyOf(folderOf[0], n * 2);
                    ids[0] = Arrays.copyOf(ids[0], n * 2 * Segment.ID_LENGTH);
                }
                System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, ids[0], n * Segment.ID_LENGTH,
                        Segment.ID_LENGTH);
                folderOf[0][n] = folderIds.computeIfAbsent(file.getParent(), p -> {
                    folders.add(p);
                    return folders.size() - 1;
                });
                count[0] = n + 1;
                listing.add(root.relativize(file).toString(), attrs.size(), attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }
        };
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, visitor);
        return sorted(folders, ids[0], folderOf[0], count[0], listing);
    }

    private static WavIndex sorted(List<Path> folders, byte[] ids, int[] folderOf, int n, ListingDigest listing) {
        // rank folders by name so that duplicates resolve the same way on every machine
        Integer[] byName = new Integer[folders.size()];
        for (int i = 0; i < byName.length; i++) {
            byName[i] = i;
        }
        Arrays.sort(byName, (a, b) -> folders.get(a).toString().compareTo(folders.get(b).toString()));
        int[] rank = new int[byName.length];
        for (int i = 0; i < byName.length; i++) {
            rank[byName[i]] = i;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        mergeSort(order, new int[n], 0, n, ids, folderOf, rank);
        byte[] sortedIds = new byte[n * Segment.ID_LENGTH];
        int[] sortedFolders = new int[n];
        List<Path> duplicates = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int k = order[i];
            if (kept > 0 && compareId(ids, k, sortedIds, kept - 1) == 0) {
                duplicates.add(folders.get(folderOf[k]).resolve(fileName(ids, k)));
                continue;
            }
            System.arraycopy(ids, k * Segment.ID_LENGTH, sortedIds, kept * Segment.ID_LENGTH, Segment.ID_LENGTH);
            sortedFolders[kept++] = folderOf[k];
        }
        return new WavIndex(List.copyOf(folders), sortedIds, sortedFolders, kept, List.copyOf(duplicates), listing);
    }

    private static void mergeSort(int[] a, int[] tmp, int from, int to, byte[] ids, int[] folderOf, int[] rank) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, ids, folderOf, rank);
        mergeSort(a, tmp, mid, to, ids, folderOf, rank);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            int c = compareId(ids, a[i], ids, a[j]);
            if (c == 0) {
                c = Integer.compare(rank[folderOf[a[i]]], rank[folderOf[a[j]]]);
            }
            tmp[k++] = c <= 0 ? a[i++] : a[j++];
        }
        while (i < mid) {
            tmp[k++] = a[i++];
        }
        while (j < to) {
            tmp[k++] = a[j++];
        }
        System.arraycopy(tmp, from, a, from, to - from);
    }

    private static int compareId(byte[] x, int i, byte[] y, int j) {
        return Arrays.compare(x, i * Segment.ID_LENGTH, (i + 1) * Segment.ID_LENGTH, y, j * Segment.ID_LENGTH,
                (j + 1) * Segment.ID_LENGTH);
    }

    private static String fileName(byte[] ids, int i) {
        return PREFIX + new String(ids, i * Segment.ID_LENGTH, Segment.ID_LENGTH, StandardCharsets.US_ASCII) + SUFFIX;
    }

    /**
     * @return a digest of every file indexed, duplicates included: its path under the folder scanned, size and
     *     modification time, as the scan saw them; equal for two scans that found the same files unchanged,
     *     whatever order the file system listed them in
     */
    String listingDigest() {
        return listing.hex();
    }

    /** @return the files indexed, duplicates included */
    long filesFound() {
        return listing.count();
    }

    /** @return the number of distinct ids found */
    int size() {
        return size;
    }

    /** @return files whose id was already found in an earlier folder */
    List<Path> duplicates() {
        return duplicates;
    }

    /**
     * @param ytid a YouTube id
     * @return its entry, or -1
     */
    int find(String ytid) {
        if (ytid.length() != Segment.ID_LENGTH) {
            return -1;
        }
        byte[] key = ytid.getBytes(StandardCharsets.US_ASCII);
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareId(ids, mid, key, 0);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * @param entry {@code 0 <= entry < size()}
     * @return the file
     */
    Path path(int entry) {
        return folders.get(folderOf[entry]).resolve(fileName(ids, entry));
    }
}
