// A real HTTP request in flight while the model is swapped: a batch POST whose body the client holds back has
// entered the handler (a test middleware sees the handler's first body read) when the run is reloaded; it must
// finish with the old model's answer, and the next request must get the new model's. Bounded waits, no sleeps.
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MultiRec.AspNetCore;
using MultiRec.Data;
using MultiRec.Tests.Serving;

namespace MultiRec.Tests.AspNetCore;

public class InFlightReloadTests
{
    private const string HoldHeader = "X-Test-Hold";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARequestInFlightAcrossAReload_FinishesOnTheOldModel_AndTheNextGetsTheNewOne()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 40, items: 30, dims: 6);
        var handlerReadsBody = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, client) = await AspNetCoreIntegrationTests.StartApp(
            run,
            o => o.WatchRunFolder = false,
            app => app.Use(async (context, next) =>
            {
                if (context.Request.Headers.ContainsKey(HoldHeader))
                {
                    context.Request.Body = new FirstReadSignal(context.Request.Body, handlerReadsBody);
                }

                await next(context);
            }));
        await using var appScope = app;
        using var clientScope = client;
        var holder = app.Services.GetRequiredService<ReloadableRecommender>();
        var users = new[] { ServingTestData.UserId(2), ServingTestData.UserId(7) };
        var body = JsonSerializer.Serialize(new { user_ids = users, k = 5 });
        var oldAnswer = await PostAsync(client, new StringContent(body, Encoding.UTF8, "application/json"));

        // The held request: headers and the first half of the body go out; the rest waits for `release`.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heldBody = new HeldBackContent(body[..(body.Length / 2)], body[(body.Length / 2)..], release.Task);
        heldBody.Headers.ContentType = new("application/json");
        var held = PostAsync(client, heldBody, hold: true);
        await handlerReadsBody.Task.WaitAsync(Bound);

        // A retrain lands (8 columns, other values) and the run is reloaded while the request is in the handler.
        var random = new Random(99);
        foreach (var (file, rows) in new[] { ("user_emb.npy", 40), ("item_emb.npy", 30) })
        {
            var temp = Path.Combine(dir.Path, file + ".new");
            NpyFile.Write(temp, ServingTestData.RandomMatrix(rows, 8, random).AsSpan(), rows, 8);
            File.Move(temp, Path.Combine(run, file), overwrite: true);
        }

        Assert.Equal(2, holder.Reload());
        Assert.False(held.IsCompleted, "the held request finished before its body was sent");
        var newAnswer = await PostAsync(client, new StringContent(body, Encoding.UTF8, "application/json"));

        release.SetResult();
        var heldAnswer = await held.WaitAsync(Bound);
        Assert.Equal(oldAnswer, heldAnswer);
        Assert.NotEqual(oldAnswer, newAnswer);
        using var fresh = JsonDocument.Parse(newAnswer);
        var expected = holder.Current.RecommendBatch(users, 5);
        for (var u = 0; u < users.Length; u++)
        {
            var items = fresh.RootElement.GetProperty("results")[u].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString());
            Assert.Equal(expected[u].Items.Select(i => i.ItemId), items);
        }
    }

    private static async Task<string> PostAsync(HttpClient client, HttpContent content, bool hold = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/recs/recommendations") { Content = content };
        if (hold)
        {
            request.Headers.Add(HoldHeader, "1");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    /// <summary>A JSON body sent in two parts (chunked): the second only once <paramref name="release"/> completes.</summary>
    private sealed class HeldBackContent(string head, string tail, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
            await stream.FlushAsync();
            await release.WaitAsync(Bound);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(tail));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    /// <summary>The request body as the handler sees it: completes <paramref name="firstRead"/> on the first read,
    /// which the batch handler makes after it has taken the current model.</summary>
    private sealed class FirstReadSignal(Stream inner, TaskCompletionSource firstRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            firstRead.TrySetResult();
            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous reads are off in Kestrel");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
