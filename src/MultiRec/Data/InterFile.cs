// Reads and writes MMRec .inter files: tab-separated, header row, columns userID / itemID / x_label found by name.
using System.Buffers.Text;
using System.Text;

namespace MultiRec.Data;

/// <summary>The MMRec interaction file. Reading picks the userID, itemID and x_label columns by header name and
/// ignores all others (rating, timestamp, ...). Accepts LF or CRLF line ends, an optional trailing newline, an
/// optional UTF-8 byte-order mark, and skips blank lines (as pandas does). Every row must have as many
/// tab-separated fields as the header; ids must be non-negative int32 values; x_label must be 0, 1 or 2.
/// Parsing works on the raw bytes with no per-row allocation.</summary>
public static class InterFile
{
    /// <summary>Header of the user id column.</summary>
    public const string UserColumn = "userID";
    /// <summary>Header of the item id column.</summary>
    public const string ItemColumn = "itemID";
    /// <summary>Header of the split label column (0 train, 1 valid, 2 test).</summary>
    public const string LabelColumn = "x_label";

    private static readonly string[] RequiredColumns = [UserColumn, ItemColumn, LabelColumn];

    /// <summary>Files up to this size are read whole; larger ones (including those over 2 GB, which no single array
    /// can hold) are streamed through a buffer of <see cref="StreamBufferBytes"/>.</summary>
    public const long WholeFileLimitBytes = 256L << 20;

    /// <summary>Buffer of the streaming reader; also the longest line it accepts.</summary>
    public const int StreamBufferBytes = 8 << 20;

    /// <summary>Reads every row in file order.</summary>
    public static InterRows Read(string path)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", inner: e);
        }

        using (stream)
        {
            if (stream.Length > WholeFileLimitBytes)
            {
                return ReadStreaming(stream, path, StreamBufferBytes);
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return Parse(bytes, path);
        }
    }

    /// <summary>Parses a .inter stream line by line through a buffer of <paramref name="bufferBytes"/> (the longest
    /// line accepted); gives the same rows and errors as <see cref="Parse"/> on the whole content.</summary>
    internal static InterRows ReadStreaming(Stream stream, string path, int bufferBytes)
    {
        var buffer = new byte[bufferBytes];
        int filled = 0, start = 0;
        var eof = false;
        ColumnLayout? columns = null;
        long lineNumber = 0;
        var estimate = stream.CanSeek ? (int)Math.Clamp(stream.Length / 16, 16, Array.MaxLength) : 1024;
        var users = new int[estimate];
        var items = new int[estimate];
        var labels = new byte[estimate];
        var count = 0;
        var first = true;
        while (true)
        {
            var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
            if (newline < 0 && !eof)
            {
                // Move the partial line to the front and read more.
                if (start == 0 && filled == buffer.Length)
                {
                    throw new DataFormatException(path, $"line {lineNumber + 1} is longer than {bufferBytes} bytes", lineNumber + 1);
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                start = 0;
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                eof = read == 0;
                filled += read;
                continue;
            }

            if (newline < 0 && start == filled)
            {
                break;
            }

            var end = newline < 0 ? filled : start + newline;
            var line = TrimCarriageReturn(buffer.AsSpan(start, end - start));
            start = newline < 0 ? filled : end + 1;
            lineNumber++;
            if (first && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            first = false;
            if (columns is null)
            {
                columns = ReadHeader(line, path);
                continue;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (count == users.Length)
            {
                var grown = (int)Math.Min(Array.MaxLength, (long)users.Length * 2);
                if (grown == count)
                {
                    throw new DataFormatException(path, $"more than {Array.MaxLength} interaction rows", lineNumber);
                }

                Array.Resize(ref users, grown);
                Array.Resize(ref items, grown);
                Array.Resize(ref labels, grown);
            }

            ParseRow(line, columns.Value, path, lineNumber, out users[count], out items[count], out labels[count]);
            count++;
        }

        if (columns is null)
        {
            throw new DataFormatException(path, "empty file: expected a header line naming the columns userID, itemID and x_label", 1);
        }

        if (count == 0)
        {
            throw new DataFormatException(path, "the file has a header but no interaction rows");
        }

        Array.Resize(ref users, count);
        Array.Resize(ref items, count);
        Array.Resize(ref labels, count);
        return new InterRows(users, items, labels);
    }

    /// <summary>Parses the content of a .inter file; <paramref name="path"/> is used in error messages.</summary>
    public static InterRows Parse(ReadOnlySpan<byte> content, string path)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        if (content.IsEmpty)
        {
            throw new DataFormatException(path, "empty file: expected a header line naming the columns userID, itemID and x_label", 1);
        }

        var headerEnd = content.IndexOf((byte)'\n');
        var header = TrimCarriageReturn(headerEnd < 0 ? content : content[..headerEnd]);
        var columns = ReadHeader(header, path);
        var body = headerEnd < 0 ? [] : content[(headerEnd + 1)..];

        var capacity = body.Count((byte)'\n') + 1;
        var users = new int[capacity];
        var items = new int[capacity];
        var labels = new byte[capacity];
        var count = 0;
        long lineNumber = 1;
        while (!body.IsEmpty)
        {
            lineNumber++;
            var end = body.IndexOf((byte)'\n');
            var line = TrimCarriageReturn(end < 0 ? body : body[..end]);
            body = end < 0 ? [] : body[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            ParseRow(line, columns, path, lineNumber, out users[count], out items[count], out labels[count]);
            count++;
        }

        if (count == 0)
        {
            throw new DataFormatException(path, "the file has a header but no interaction rows");
        }

        if (count < capacity)
        {
            Array.Resize(ref users, count);
            Array.Resize(ref items, count);
            Array.Resize(ref labels, count);
        }

        return new InterRows(users, items, labels);
    }

    /// <summary>Writes rows with the header userID, itemID, x_label (tab-separated, LF), atomically.</summary>
    public static void Write(string path, ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<byte> labels)
    {
        if (users.Length != items.Length || users.Length != labels.Length)
        {
            throw new ArgumentException($"column lengths differ: {users.Length} users, {items.Length} items, {labels.Length} labels");
        }

        using var file = new AtomicFile(path);
        var stream = file.Stream;
        stream.Write(Encoding.ASCII.GetBytes($"{UserColumn}\t{ItemColumn}\t{LabelColumn}\n"));
        Span<byte> line = stackalloc byte[32];
        for (var n = 0; n < users.Length; n++)
        {
            if (users[n] < 0 || items[n] < 0 || !SplitLabel.IsValid(labels[n]))
            {
                throw new ArgumentException($"row {n}: user {users[n]}, item {items[n]}, label {labels[n]} is not a valid interaction");
            }

            Utf8Formatter.TryFormat(users[n], line, out var pos);
            line[pos++] = (byte)'\t';
            Utf8Formatter.TryFormat(items[n], line[pos..], out var written);
            pos += written;
            line[pos++] = (byte)'\t';
            line[pos++] = (byte)('0' + labels[n]);
            line[pos++] = (byte)'\n';
            stream.Write(line[..pos]);
        }

        file.Commit();
    }

    /// <summary>Positions of the needed columns and the number of fields every row must have.</summary>
    private readonly record struct ColumnLayout(int User, int Item, int Label, int FieldCount, string[] Names);

    private static ColumnLayout ReadHeader(ReadOnlySpan<byte> header, string path)
    {
        var names = Encoding.UTF8.GetString(header).Split('\t').Select(n => n.Trim()).ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 && RequiredColumns.Contains(g.Key));
        if (duplicate is not null)
        {
            throw new DataFormatException(path, $"column '{duplicate.Key}' appears twice in the header", 1);
        }

        var missing = RequiredColumns.Where(c => Array.IndexOf(names, c) < 0).ToArray();
        if (missing.Length > 0)
        {
            throw new DataFormatException(
                path,
                $"missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} in the header " +
                $"(found: {string.Join(", ", names.Select(n => $"'{n}'"))}; columns are tab-separated)",
                1);
        }

        return new ColumnLayout(
            Array.IndexOf(names, UserColumn), Array.IndexOf(names, ItemColumn), Array.IndexOf(names, LabelColumn), names.Length, names);
    }

    private static void ParseRow(
        ReadOnlySpan<byte> line, in ColumnLayout columns, string path, long lineNumber, out int user, out int item, out byte label)
    {
        user = item = -1;
        var labelValue = -1;
        var field = 0;
        while (true)
        {
            var tab = line.IndexOf((byte)'\t');
            var text = tab < 0 ? line : line[..tab];
            if (field == columns.User)
            {
                user = ParseId(text, columns.Names[field], path, lineNumber);
            }
            else if (field == columns.Item)
            {
                item = ParseId(text, columns.Names[field], path, lineNumber);
            }
            else if (field == columns.Label)
            {
                labelValue = ParseId(text, columns.Names[field], path, lineNumber);
                if (!SplitLabel.IsValid(labelValue))
                {
                    throw new DataFormatException(path, $"x_label {labelValue} is not 0 (train), 1 (valid) or 2 (test)", lineNumber);
                }
            }

            field++;
            if (tab < 0)
            {
                break;
            }

            line = line[(tab + 1)..];
        }

        if (field != columns.FieldCount)
        {
            throw new DataFormatException(path, $"expected {columns.FieldCount} tab-separated fields as in the header, found {field}", lineNumber);
        }

        label = (byte)labelValue;
    }

    /// <summary>A non-negative decimal int32, digits only.</summary>
    private static int ParseId(ReadOnlySpan<byte> text, string column, string path, long lineNumber)
    {
        if (text.IsEmpty)
        {
            throw new DataFormatException(path, $"{column} is empty", lineNumber);
        }

        long value = 0;
        foreach (var b in text)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                var shown = Encoding.UTF8.GetString(text.Length > 40 ? text[..40] : text);
                var negative = text[0] == (byte)'-' && text.Length > 1 && text[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
                var problem = negative
                    ? $"{column} {shown} is negative (must be a non-negative integer)"
                    : $"{column} '{shown}' is not a non-negative integer";
                throw new DataFormatException(path, problem, lineNumber);
            }

            value = (value * 10) + digit;
            if (value > int.MaxValue)
            {
                throw new DataFormatException(path, $"{column} {Encoding.UTF8.GetString(text.Length > 40 ? text[..40] : text)}{(text.Length > 40 ? $"... ({text.Length} digits)" : "")} is larger than {int.MaxValue}", lineNumber);
            }
        }

        return (int)value;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;
}
