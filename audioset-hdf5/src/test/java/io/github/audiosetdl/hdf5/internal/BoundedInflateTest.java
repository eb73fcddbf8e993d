package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.DeflatePipelineFilter;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedInflate} decodes as jhdf's deflate filter does (the same bytes, the same errors, with their reason
 * added), and with a bound refuses a stream inflating to more than it.
 */
class BoundedInflateTest {
    private static final int[] NO_DATA = {};
    private final DeflatePipelineFilter jhdf = new DeflatePipelineFilter();

    private static byte[] deflate(byte[] data, int level) {
        Deflater d = new Deflater(level);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1000];
        while (!d.finished()) {
            out.write(buffer, 0, d.deflate(buffer));
        }
        d.end();
        return out.toByteArray();
    }

    /** Both decode {@code encoded} alike: the same bytes, or errors of the same type, ours starting with jhdf's. */
    private void sameAsJhdf(byte[] encoded, long cap, String what) {
        byte[] expected = null;
        Throwable expectedError = null;
        try {
            expected = jhdf.decode(encoded, NO_DATA);
        } catch (RuntimeException e) {
            expectedError = e;
        }
        Throwable error = catchThrowable(() -> assertThat(BoundedInflate.inflate(encoded, cap)).as(what)
                .isEqualTo(jhdf.decode(encoded, NO_DATA)));
        if (expectedError == null) {
            assertThat(error).as(what).isNull();
            assertThat(BoundedInflate.inflate(encoded, cap)).as(what).isEqualTo(expected);
        } else {
            assertThat(error).as(what).isInstanceOf(expectedError.getClass())
                    .hasMessageStartingWith(expectedError.getMessage());
        }
    }

    @Test
    void validStreamsDecodeToJhdfsBytesUpToAndAtTheirSize() {
        Random random = new Random(7);
        for (int size : new int[] {1, 2, 100, 4095, 4096, 4097, 8191, 8192, 8193, 65536, 100_000}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            byte[] zeros = new byte[size];
            byte[] ramp = new byte[size];
            for (int i = 0; i < size; i++) {
                ramp[i] = (byte) (i / 7);
            }
            for (byte[] data : new byte[][] {noise, zeros, ramp}) {
                for (int level : new int[] {0, 1, 6, 9}) {
                    byte[] encoded = deflate(data, level);
                    String what = size + " bytes at level " + level;
                    assertThat(BoundedInflate.inflate(encoded, size)).as(what).isEqualTo(data);
                    sameAsJhdf(encoded, size, what);
                    sameAsJhdf(encoded, Long.MAX_VALUE / 2, what);
                    byte[] trailing = Arrays.copyOf(encoded, encoded.length + 9); // jhdf ignores bytes after the end
                    assertThat(BoundedInflate.inflate(trailing, size)).as(what).isEqualTo(data);
                    assertThatThrownBy(() -> BoundedInflate.inflate(encoded, size - 1)).as(what)
                            .isInstanceOf(HdfFilterException.class).hasMessage("a gzip chunk of " + encoded.length
                                    + " bytes inflates to more than " + (size - 1) + " bytes, the most a chunk of the"
                                    + " dataset holds (a damaged or hostile file)");
                }
            }
        }
    }

    @Test
    void damagedStreamsFailAsInJhdfWithTheReason() {
        byte[] data = new byte[20_000];
        new Random(3).nextBytes(data);
        byte[] encoded = deflate(data, 6);
        for (int cut : new int[] {0, 1, 2, 10, 5000, encoded.length - 5, encoded.length - 1}) {
            sameAsJhdf(Arrays.copyOf(encoded, cut), data.length, "cut at " + cut);
        }
        assertThatThrownBy(() -> BoundedInflate.inflate(Arrays.copyOf(encoded, 100), data.length))
                .hasMessage("Zero bytes inflated: the chunk's zlib stream ends after 100 bytes, before its end"
                        + " (a truncated chunk)");
        byte[] garbage = encoded.clone();
        garbage[0] = 0x12;
        sameAsJhdf(garbage, data.length, "a bad header");
        assertThatThrownBy(() -> BoundedInflate.inflate(garbage, data.length))
                .hasMessageStartingWith("Inflating failed: ").hasCauseInstanceOf(DataFormatException.class);
        Deflater d = new Deflater();
        d.setDictionary(new byte[] {1, 2, 3});
        d.setInput(data);
        d.finish();
        byte[] withDictionary = new byte[30_000];
        int n = d.deflate(withDictionary);
        d.end();
        sameAsJhdf(Arrays.copyOf(withDictionary, n), data.length, "a preset dictionary");
        assertThatThrownBy(() -> BoundedInflate.inflate(Arrays.copyOf(withDictionary, n), data.length))
                .hasMessageContaining("needs a preset dictionary");
    }

    @Test
    void theBoundHoldsOnlyOnTheReadingThreadAndDuringTheRead() throws Exception {
        byte[] encoded = deflate(new byte[10_000], 9);
        BoundedInflate filter = new BoundedInflate();
        assertThat(filter.decode(encoded, NO_DATA)).hasSize(10_000); // no bound set: as jhdf
        assertThat(filter.encode(new byte[10_000], new int[] {9})).isEqualTo(jhdf.encode(new byte[10_000],
                new int[] {9}));
        BoundedInflate.withCap(5_000L, () -> {
            assertThatThrownBy(() -> filter.decode(encoded, NO_DATA)).hasMessageContaining("more than 5000 bytes");
            BoundedInflate.withCap(20_000L, () -> assertThat(filter.decode(encoded, NO_DATA)).hasSize(10_000));
            assertThatThrownBy(() -> filter.decode(encoded, NO_DATA)).as("restored after the inner read")
                    .hasMessageContaining("more than 5000 bytes");
            AtomicInteger decoded = new AtomicInteger(-1);
            Thread other = new Thread(() -> decoded.set(filter.decode(encoded, NO_DATA).length));
            other.start();
            try {
                other.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(decoded.get()).as("another thread: no bound").isEqualTo(10_000);
            return null;
        });
        assertThatThrownBy(() -> BoundedInflate.withCap(5_000L, () -> filter.decode(encoded, NO_DATA)))
                .isInstanceOf(HdfFilterException.class);
        assertThat(filter.decode(encoded, NO_DATA)).as("cleared after a failed read").hasSize(10_000);
    }
}
