using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>Collects every log entry (with its formatted message) for assertions.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception) + " " + exception));
    }
}

/// <summary>One log entry.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message);
