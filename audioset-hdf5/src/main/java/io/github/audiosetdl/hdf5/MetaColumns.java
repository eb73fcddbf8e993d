package io.github.audiosetdl.hdf5;

import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.RowFile.ColumnType;
import io.github.audiosetdl.hdf5.internal.Spool;
import java.io.IOException;

/** The {@code /labels} and {@code /meta/*} columns shared by the waveform and cochleagram files. */
final class MetaColumns {
    private final Spool labels;
    private final Spool ytid;
    private final Spool start;
    private final Spool end;
    private final Spool mids;
    private final Spool norm;
    private final Spool padded;
    private final Spool csvRow;

    MetaColumns(RowFile file, int labelCount) throws IOException {
        labels = file.column("labels", ColumnType.UINT8, labelCount);
        ytid = file.column("meta/ytid", ColumnType.STRING, 1);
        start = file.column("meta/start", ColumnType.FLOAT64, 1);
        end = file.column("meta/end", ColumnType.FLOAT64, 1);
        mids = file.column("meta/labels", ColumnType.STRING, 1);
        norm = file.column("meta/norm", ColumnType.FLOAT64, 1);
        padded = file.column("meta/padded", ColumnType.UINT8, 1);
        csvRow = file.column("meta/csv_row", ColumnType.INT64, 1);
    }

    void append(byte[] multiHot, ClipMetadata m) throws IOException {
        labels.putBytes(multiHot);
        ytid.putString(m.ytid());
        start.putDouble(m.startSeconds());
        end.putDouble(m.endSeconds());
        mids.putString(m.labels());
        norm.putDouble(m.norm());
        padded.putByte((byte) (m.padded() ? 1 : 0));
        csvRow.putLong(m.csvRow());
    }
}
