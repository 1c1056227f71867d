using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rosen.Manager.Pages;

[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Explanation { get; private set; } = string.Empty;

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        Code = code;
        (Title, Explanation) = code switch
        {
            403 => ("Not allowed", "Your role does not allow this. Retrying participants, force-cancelling and replaying need the operator role; resetting a database from a snapshot needs the admin role. Ask an admin."),
            404 => ("Not found", "There is nothing at this address."),
            429 => ("Too many attempts", "Wait a minute before trying again."),
            500 => ("Something went wrong", "The manager failed to show this page; the error is in its log."),
            _ => ($"Error {code}", "The request could not be completed."),
        };
        Response.StatusCode = code is >= 400 and <= 599 ? code : 404;
    }
}
