// Parser for the Python dict literal inside a .npy header, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
namespace MultiRec.Data;

/// <summary>The three keys of a .npy header dict.</summary>
internal sealed record NpyHeaderDict(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>Parses the dict literal; any other key, a missing key, or a malformed literal is an error naming the file.</summary>
    public static NpyHeaderDict Parse(string text, string path)
    {
        var reader = new Reader(text, path);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;

        reader.Expect('{');
        while (!reader.TryConsume('}'))
        {
            var key = reader.ReadString();
            reader.Expect(':');
            switch (key)
            {
                case "descr":
                    if (reader.Peek() == '[')
                    {
                        throw new DataFormatException(path, "structured (record) dtypes are not supported");
                    }

                    descr = reader.ReadString();
                    break;
                case "fortran_order":
                    fortran = reader.ReadBool();
                    break;
                case "shape":
                    shape = reader.ReadShape();
                    break;
                default:
                    throw new DataFormatException(path, $"unexpected key '{key}' in the .npy header");
            }

            if (!reader.TryConsume(','))
            {
                reader.Expect('}');
                break;
            }
        }

        reader.ExpectEnd();
        if (descr is null || fortran is null || shape is null)
        {
            var missing = descr is null ? "descr" : fortran is null ? "fortran_order" : "shape";
            throw new DataFormatException(path, $"the .npy header has no '{missing}' key");
        }

        return new NpyHeaderDict(descr, fortran.Value, shape);
    }

    /// <summary>A cursor over the header text that skips whitespace between tokens.</summary>
    private sealed class Reader(string text, string path)
    {
        private int _pos;

        public char Peek()
        {
            SkipSpace();
            return _pos < text.Length ? text[_pos] : '\0';
        }

        public bool TryConsume(char c)
        {
            if (Peek() != c)
            {
                return false;
            }

            _pos++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Fail($"expected '{c}'");
            }
        }

        public void ExpectEnd()
        {
            if (Peek() != '\0')
            {
                throw Fail("unexpected text after the dict");
            }
        }

        public string ReadString()
        {
            var quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Fail("expected a quoted string");
            }

            var end = text.IndexOf(quote, _pos + 1);
            if (end < 0)
            {
                throw Fail("unterminated string");
            }

            var value = text[(_pos + 1)..end];
            _pos = end + 1;
            return value;
        }

        public bool ReadBool()
        {
            SkipSpace();
            if (Matches("True"))
            {
                return true;
            }

            if (Matches("False"))
            {
                return false;
            }

            throw Fail("expected True or False");
        }

        public int[] ReadShape()
        {
            Expect('(');
            var dims = new List<int>();
            long elements = 1;
            while (!TryConsume(')'))
            {
                var dim = ReadDimension();
                elements = dim == 0 ? 0 : elements > long.MaxValue / dim ? throw Fail("shape is too large") : elements * dim;
                dims.Add(dim);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }

            return [.. dims];
        }

        private int ReadDimension()
        {
            SkipSpace();
            var start = _pos;
            long value = 0;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                value = (value * 10) + (text[_pos] - '0');
                if (value > int.MaxValue)
                {
                    throw Fail("shape dimension is too large");
                }

                _pos++;
            }

            if (_pos == start)
            {
                throw Fail("expected a non-negative integer dimension");
            }

            if (_pos < text.Length && text[_pos] is 'L' or 'l')
            {
                _pos++; // Python 2 long suffix, written by old numpy versions.
            }

            return (int)value;
        }

        private bool Matches(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0)
            {
                return false;
            }

            _pos += word.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private DataFormatException Fail(string what) =>
            new(path, $"malformed .npy header at character {_pos}: {what} in {text.TrimEnd()}");
    }
}
