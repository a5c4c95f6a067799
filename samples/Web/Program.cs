// Web sample: the application's own host, health check and routes, plus MultiRec's endpoints and IRecommender.
// Usage: dotnet run -- --run RUN_DIR [--urls http://127.0.0.1:5090]
using MultiRec;
using MultiRec.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var runFolder = builder.Configuration["run"] ?? throw new ArgumentException("give the run folder: --run DIR");
builder.Services.AddMultiRec(o => o.RunFolder = runFolder);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapMultiRecEndpoints("/v1");

// The app's own route calling the recommender directly.
app.MapGet("/shop/{customer}/picks", (string customer, IRecommender recommender) =>
    recommender.ContainsUser(customer)
        ? Results.Ok(recommender.Recommend(customer, 3).Items.Select(i => i.ItemId))
        : Results.NotFound());

app.Run();
