using Company.Coordinator1;

var app = CoordinatorApp.Build(args);
await app.RunAsync();
