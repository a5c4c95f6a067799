// Line-by-line reader of delimited text (CSV/TSV) with an optional header, delimiter detection and simple quoting.
using System.Text;

namespace MultiRec.Data.Preparation;

/// <summary>
/// Reads a delimited text file one record per line. A field that starts with a double quote is
/// quoted: it ends at the next lone quote, and "" inside it stands for one quote (RFC 4180, but a
/// record may not span lines). Other fields are taken verbatim. Empty lines are skipped.
/// </summary>
public sealed class DelimitedReader : IDisposable
{
    private readonly StreamReader _reader;
    private string? _pending;

    /// <summary>Opens <paramref name="path"/>; with <paramref name="delimiter"/> null, the first line decides (see <see cref="DetectDelimiter"/>).</summary>
    public DelimitedReader(string path, char? delimiter = null, bool hasHeader = true)
    {
        Path = path;
        _reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var first = PeekFirstLine();
        Delimiter = delimiter ?? DetectDelimiter(first ?? string.Empty);
        if (hasHeader)
        {
            if (!TryRead(out var header))
            {
                throw new DataFormatException(path, "the file is empty (a header line is required)");
            }

            Header = header.Select(name => name.Trim()).ToArray();
        }
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The field separator in use.</summary>
    public char Delimiter { get; }

    /// <summary>Column names from the header line, or null when the file has none.</summary>
    public IReadOnlyList<string>? Header { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Tab when the line has a tab, else comma when it has a comma, else semicolon when it has one, else tab.</summary>
    public static char DetectDelimiter(string firstLine) =>
        firstLine.Contains('\t') ? '\t' : firstLine.Contains(',') ? ',' : firstLine.Contains(';') ? ';' : '\t';

    /// <summary>The next non-empty record, or false at the end of the file.</summary>
    public bool TryRead(out string[] fields)
    {
        string? line;
        do
        {
            line = _pending ?? _reader.ReadLine();
            _pending = null;
            if (line is null)
            {
                fields = [];
                return false;
            }

            LineNumber++;
        }
        while (line.Length == 0 || (line.Length == 1 && line[0] == '\r'));

        fields = Split(line.TrimEnd('\r'));
        return true;
    }

    /// <summary>Index of the first header column named like one of <paramref name="names"/> (case-insensitive), or -1.</summary>
    public int FindColumn(params string[] names)
    {
        if (Header is null)
        {
            return -1;
        }

        foreach (var name in names)
        {
            for (var i = 0; i < Header.Count; i++)
            {
                if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    private string? PeekFirstLine()
    {
        _pending = _reader.ReadLine();
        return _pending;
    }

    private string[] Split(string line)
    {
        var fields = new List<string>();
        var position = 0;
        while (true)
        {
            if (position < line.Length && line[position] == '"')
            {
                var value = new StringBuilder();
                var i = position + 1;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new DataFormatException(Path, "a quoted field is not closed on its line", LineNumber);
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            value.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(line[i++]);
                }

                if (i < line.Length && line[i] != Delimiter)
                {
                    throw new DataFormatException(Path, "text after a closing quote", LineNumber);
                }

                fields.Add(value.ToString());
                if (i >= line.Length)
                {
                    return [.. fields];
                }

                position = i + 1;
                continue;
            }

            var end = line.IndexOf(Delimiter, position);
            if (end < 0)
            {
                fields.Add(line[position..]);
                return [.. fields];
            }

            fields.Add(line[position..end]);
            position = end + 1;
        }
    }
}
