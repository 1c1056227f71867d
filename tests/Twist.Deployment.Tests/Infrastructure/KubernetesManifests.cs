using YamlDotNet.RepresentationModel;

namespace Twist.Deployment.Tests.Infrastructure;

/// <summary>The Kubernetes objects in deploy/kubernetes, parsed as YAML (every document of every *.yaml file).</summary>
internal static class KubernetesManifests
{
    public static IReadOnlyList<KubernetesObject> LoadAll()
    {
        var objects = new List<KubernetesObject>();
        foreach (var file in Directory.GetFiles(Repository.KubernetesDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                var root = document.RootNode as YamlMappingNode
                    ?? throw new InvalidDataException($"{file}: a document is not a mapping.");
                objects.Add(new KubernetesObject(Path.GetFileName(file), root));
            }
        }

        return objects;
    }

    public static KubernetesObject Single(string kind, string name) =>
        LoadAll().Single(o => o.Kind == kind && o.Name == name);
}

/// <summary>One object (one YAML document), with the few paths the tests read.</summary>
internal sealed record KubernetesObject(string File, YamlMappingNode Root)
{
    public string Kind => Yaml.Text(Root, "kind");

    public string Name => Kind == "Kustomization" ? File : Yaml.Text(Root, "metadata", "name");

    public YamlMappingNode PodSpec => Yaml.Mapping(Root, "spec", "template", "spec");

    public YamlMappingNode Container => (YamlMappingNode)Yaml.Sequence(PodSpec, "containers").Children.Single();

    public IReadOnlyList<EnvironmentVariable> Environment =>
        Yaml.Sequence(Container, "env").Children.Cast<YamlMappingNode>().Select(EnvironmentVariable.From).ToList();
}

/// <summary>A container's <c>env</c> entry: a literal <c>value</c> or a <c>valueFrom.secretKeyRef</c>.</summary>
internal sealed record EnvironmentVariable(string Name, string? Value, string? SecretName, string? SecretKey, bool HasValueFrom)
{
    public static EnvironmentVariable From(YamlMappingNode entry)
    {
        var secret = Yaml.TryMapping(entry, "valueFrom", "secretKeyRef");
        return new EnvironmentVariable(
            Yaml.Text(entry, "name"),
            Yaml.TryText(entry, "value"),
            secret is null ? null : Yaml.Text(secret, "name"),
            secret is null ? null : Yaml.Text(secret, "key"),
            Yaml.TryMapping(entry, "valueFrom") is not null);
    }
}

/// <summary>Reads paths in a YAML tree; a missing path fails with the path, not a null reference.</summary>
internal static class Yaml
{
    public static YamlNode? TryNode(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static YamlNode Node(YamlNode node, params string[] path) =>
        TryNode(node, path) ?? throw new KeyNotFoundException($"No '{string.Join('.', path)}' in the manifest.");

    public static string Text(YamlNode node, params string[] path) =>
        (Node(node, path) as YamlScalarNode)?.Value ?? throw new InvalidDataException($"'{string.Join('.', path)}' is not a scalar.");

    public static string? TryText(YamlNode node, params string[] path) => (TryNode(node, path) as YamlScalarNode)?.Value;

    public static YamlMappingNode Mapping(YamlNode node, params string[] path) =>
        Node(node, path) as YamlMappingNode ?? throw new InvalidDataException($"'{string.Join('.', path)}' is not a mapping.");

    public static YamlMappingNode? TryMapping(YamlNode node, params string[] path) => TryNode(node, path) as YamlMappingNode;

    public static YamlSequenceNode Sequence(YamlNode node, params string[] path) =>
        Node(node, path) as YamlSequenceNode ?? throw new InvalidDataException($"'{string.Join('.', path)}' is not a sequence.");
}
