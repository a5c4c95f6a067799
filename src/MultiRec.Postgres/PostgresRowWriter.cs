// One COPY row per user: (user_id text, items text[], scores real[]) through Npgsql's binary importer.
using MultiRec.Serving;
using Npgsql;
using NpgsqlTypes;

namespace MultiRec.Postgres;

/// <summary>Feeds the export pipeline's rankings into a binary COPY, item ids mapped to their external form.</summary>
internal sealed class PostgresRowWriter : IRecommendationSink
{
    private readonly NpgsqlBinaryImporter _importer;
    private readonly string[] _itemIds;
    private string[] _items = [];
    private float[] _scores = [];

    public PostgresRowWriter(NpgsqlBinaryImporter importer, IdMap itemIds)
    {
        _importer = importer;
        _itemIds = new string[itemIds.Count];
        for (var i = 0; i < _itemIds.Length; i++)
        {
            _itemIds[i] = itemIds.ExternalId(i);
        }
    }

    public void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores)
    {
        // The importer serialises each value into its buffer at once, so the arrays are reused across rows.
        if (_items.Length != items.Length)
        {
            _items = new string[items.Length];
            _scores = new float[items.Length];
        }

        for (var r = 0; r < items.Length; r++)
        {
            _items[r] = _itemIds[items[r]];
        }

        scores.CopyTo(_scores);
        _importer.StartRow();
        _importer.Write(userId, NpgsqlDbType.Text);
        _importer.Write(_items, NpgsqlDbType.Array | NpgsqlDbType.Text);
        _importer.Write(_scores, NpgsqlDbType.Array | NpgsqlDbType.Real);
    }
}
