package io.github.audiosetdl.hdf5.internal;

import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.WritableDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The HDF5 type h5py gives numpy's {@code bool}: a one-byte enum over signed int8 with the members
 * {@code FALSE = 0} and {@code TRUE = 1}. jhdf reads enums but does not write them, so this type carries
 * its own encoding (an HDF5 datatype message, version 1, class 8: the base type, then the names, each
 * NUL-terminated and padded to a multiple of 8 bytes, then the values).
 */
final class BoolEnumType extends EnumDataType implements WritableDataType {
    /** The one instance. */
    static final BoolEnumType INSTANCE = new BoolEnumType();

    private BoolEnumType() {
        super(encoding());
    }

    private static ByteBuffer encoding() {
        ByteBuffer b = ByteBuffer.allocate(38).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x18).put((byte) 2).put((byte) 0).put((byte) 0).putInt(1); // v1 enum, 2 members, 1 byte
        b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(1); // v1 fixed point, signed, LE
        b.putShort((short) 0).putShort((short) 8); // bit offset 0, precision 8
        b.put(new byte[] {'F', 'A', 'L', 'S', 'E', 0, 0, 0});
        b.put(new byte[] {'T', 'R', 'U', 'E', 0, 0, 0, 0});
        b.put((byte) 0).put((byte) 1);
        return b.flip();
    }

    @Override
    public ByteBuffer toBuffer() {
        return encoding();
    }
}
