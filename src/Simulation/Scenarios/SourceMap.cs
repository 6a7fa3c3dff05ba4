using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Turns byte offsets of a UTF-8 scenario into 1-based lines and columns, columns counted in UTF-16
/// characters as an editor shows them. Positions are asked for in file order, so it walks forward from
/// the last answer (a whole read is linear, also for a file written on one line); going back restarts
/// from a saved mark, or from the start.
/// </summary>
internal sealed class SourceMap
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private int _offset;
    private int _line = 1;
    private int _column = 1;

    /// <param name="utf8">The whole text; a byte order mark at its start takes no column.</param>
    /// <param name="file">The file name used in positions.</param>
    public SourceMap(ReadOnlyMemory<byte> utf8, string file)
    {
        _utf8 = utf8;
        File = file;
        _offset = utf8.Span.StartsWith(JsonParser.ByteOrderMark) ? JsonParser.ByteOrderMark.Length : 0;
        Start = Mark;
    }

    public string File { get; }

    /// <summary>Where the text starts (after a byte order mark).</summary>
    public (int Offset, int Line, int Column) Start { get; }

    /// <summary>The place the map has walked to; pass it to <see cref="Rewind"/> to come back to it cheaply.</summary>
    public (int Offset, int Line, int Column) Mark => (_offset, _line, _column);

    /// <summary>Goes back to a place given by <see cref="Mark"/>.</summary>
    public void Rewind((int Offset, int Line, int Column) mark) => (_offset, _line, _column) = mark;

    /// <summary>The position of the byte at <paramref name="offset"/> (counted from the start of the text, byte order mark included).</summary>
    public SourcePosition At(int offset)
    {
        if (offset < _offset)
        {
            Rewind(Start);
        }
        var walked = _utf8.Span[_offset..offset];
        var lastLineEnd = walked.LastIndexOf((byte)'\n');
        if (lastLineEnd >= 0)
        {
            _line += walked[..lastLineEnd].Count((byte)'\n') + 1;
            _column = 1;
            walked = walked[(lastLineEnd + 1)..];
        }
        _column += Ascii.IsValid(walked) ? walked.Length : Columns(walked);
        _offset = offset;
        return new SourcePosition(File, _line, _column);
    }

    /// <summary>How many columns <paramref name="text"/>, a part of one line, takes.</summary>
    private static int Columns(ReadOnlySpan<byte> text)
    {
        var columns = 0;
        foreach (var b in text)
        {
            if ((b & 0xC0) != 0x80)
            {
                // One column per character: a lead byte starts one, and a four-byte one is a surrogate pair in UTF-16.
                columns += b >= 0xF0 ? 2 : 1;
            }
        }
        return columns;
    }
}
