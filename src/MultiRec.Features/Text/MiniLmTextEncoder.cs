// all-MiniLM-L6-v2 sentence embeddings through ONNX Runtime: tokenise, run in length-sorted batches,
// mean-pool over the attention mask, L2-normalise (the sentence-transformers pipeline).
using Microsoft.ML.OnnxRuntime;
using MultiRec.Features.Models;

namespace MultiRec.Features.Text;

/// <summary>Options of <see cref="MiniLmTextEncoder"/>.</summary>
public sealed record TextEncoderOptions
{
    /// <summary>Tokens per text, [CLS] and [SEP] included (default 256, sentence-transformers' max_seq_length);
    /// longer texts are truncated. At most <see cref="MiniLmTextEncoder.MaxPositions"/>.</summary>
    public int MaxTokens { get; init; } = MiniLmTokenizer.DefaultMaxTokens;

    /// <summary>Texts per model call (default 32). Texts are sorted by length first, so padding stays small.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime intra-op threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Let idle ONNX Runtime threads spin-wait for work (default false). Spinning saves a little
    /// latency on an idle machine but burns CPU that other processes need when cores are shared.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Folder holding the model files (default: models/ beside the application).</summary>
    public string? ModelDirectory { get; init; }
}

/// <summary>Encodes texts into 384-d unit vectors with all-MiniLM-L6-v2.</summary>
public sealed class MiniLmTextEncoder : IDisposable
{
    /// <summary>Width of a MiniLM-L6 embedding.</summary>
    public const int Dimension = 384;

    /// <summary>Position embeddings of the model: the most tokens one text can have, [CLS] and [SEP] included.</summary>
    public const int MaxPositions = 512;

    private readonly InferenceSession _session;
    private readonly TextEncoderOptions _options;

    /// <summary>Loads the all-MiniLM-L6-v2 ONNX model and its vocabulary.</summary>
    public MiniLmTextEncoder(TextEncoderOptions? options = null)
    {
        _options = options ?? new TextEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxTokens, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.MaxTokens, MaxPositions);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Threads, 1);
        Tokenizer = MiniLmTokenizer.Load(_options.ModelDirectory);
        var assembly = ModelLocator.Require(ModelLocator.MiniLmAssemblyFile, _options.ModelDirectory);
        var model = ManifestResourceReader.ReadAllBytes(assembly, ModelLocator.MiniLmModelResource);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!_options.AllowSpinning)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        _session = new InferenceSession(model, sessionOptions);
    }

    /// <summary>The tokenizer the encoder uses.</summary>
    public MiniLmTokenizer Tokenizer { get; }

    /// <summary>Embeds each text; row i of the result (length texts.Count × 384) belongs to texts[i].</summary>
    public float[] Encode(IReadOnlyList<string> texts, Action<int>? onTextsDone = null)
    {
        var tokenized = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            tokenized[i] = Tokenizer.Encode(texts[i], _options.MaxTokens);
        }

        return EncodeTokens(tokenized, onTextsDone);
    }

    /// <summary>Embeds token id sequences (each with [CLS] … [SEP]); row i belongs to sequences[i].</summary>
    public float[] EncodeTokens(IReadOnlyList<int[]> sequences, Action<int>? onTextsDone = null)
    {
        var output = new float[(long)sequences.Count * Dimension];
        var order = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start));
            RunBatch(sequences, batch, output);
            onTextsDone?.Invoke(batch.Length);
        }

        return output;
    }

    private void RunBatch(IReadOnlyList<int[]> sequences, ReadOnlySpan<int> batch, float[] output)
    {
        var rows = batch.Length;
        var length = 0;
        foreach (var index in batch)
        {
            length = Math.Max(length, sequences[index].Length);
        }

        var inputIds = new long[rows * length];
        var attention = new long[rows * length];
        var tokenTypes = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var ids = sequences[batch[r]];
            for (var t = 0; t < ids.Length; t++)
            {
                inputIds[(r * length) + t] = ids[t];
                attention[(r * length) + t] = 1;
            }

            for (var t = ids.Length; t < length; t++)
            {
                inputIds[(r * length) + t] = Tokenizer.PadId;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(attention, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(tokenTypes, shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(
            runOptions,
            ["input_ids", "attention_mask", "token_type_ids"],
            [idsValue, maskValue, typesValue],
            ["last_hidden_state"]);
        var hidden = results[0].GetTensorDataAsSpan<float>();
        for (var r = 0; r < rows; r++)
        {
            var target = output.AsSpan(batch[r] * Dimension, Dimension);
            MeanPoolAndNormalize(hidden.Slice(r * length * Dimension, length * Dimension), sequences[batch[r]].Length, target);
        }
    }

    /// <summary>Mean over the first <paramref name="tokens"/> positions (the attention mask), then x / max(‖x‖, 1e-12).</summary>
    internal static void MeanPoolAndNormalize(ReadOnlySpan<float> hidden, int tokens, Span<float> target)
    {
        target.Clear();
        for (var t = 0; t < tokens; t++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(target, hidden.Slice(t * Dimension, Dimension), target);
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(target, tokens, target);
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(target);
        System.Numerics.Tensors.TensorPrimitives.Divide(target, MathF.Max(norm, 1e-12f), target);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
